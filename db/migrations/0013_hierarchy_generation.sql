-- Hand-written: a token that changes with every change to the hierarchy or the city's defaults, made by
-- triggers so that no write path can forget it. A process may keep what it resolved from the hierarchy
-- (a problem code's duplicate rule) for as long as the token it read with it is the current one — also
-- when another process made the change. Random, not counted, so two databases never share a token.
CREATE TABLE `hierarchy_generation` (
	`id` integer PRIMARY KEY CHECK (`id` = 1),
	`token` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `hierarchy_generation` VALUES (1, abs(random()));
--> statement-breakpoint
CREATE TRIGGER `hierarchy_generation_node_insert` AFTER INSERT ON `hierarchy_nodes` BEGIN UPDATE `hierarchy_generation` SET `token` = abs(random()); END;
--> statement-breakpoint
CREATE TRIGGER `hierarchy_generation_node_update` AFTER UPDATE ON `hierarchy_nodes` BEGIN UPDATE `hierarchy_generation` SET `token` = abs(random()); END;
--> statement-breakpoint
CREATE TRIGGER `hierarchy_generation_node_delete` AFTER DELETE ON `hierarchy_nodes` BEGIN UPDATE `hierarchy_generation` SET `token` = abs(random()); END;
--> statement-breakpoint
CREATE TRIGGER `hierarchy_generation_city_insert` AFTER INSERT ON `city_profile` BEGIN UPDATE `hierarchy_generation` SET `token` = abs(random()); END;
--> statement-breakpoint
CREATE TRIGGER `hierarchy_generation_city_update` AFTER UPDATE ON `city_profile` BEGIN UPDATE `hierarchy_generation` SET `token` = abs(random()); END;
