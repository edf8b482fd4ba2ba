-- Hand-written: drizzle-kit does not model R*Tree. The tree of open work orders' places gains two
-- dimensions, the problem code and its category (each a point: min = max = the id), so that duplicate
-- search finds the same code's work orders near a place in the tree itself. A 100 m box in a city of
-- 200,000 open work orders holds about 95 of every code, and each had to be read from work_orders to
-- be checked; the same code's are fewer than one. Ids are stored as 32-bit floats, exact up to 16,777,216.
DROP TRIGGER `work_order_area_insert`;
--> statement-breakpoint
DROP TRIGGER `work_order_area_update`;
--> statement-breakpoint
DROP TABLE `work_order_area`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `work_order_area` USING rtree(`id`, `min_lat`, `max_lat`, `min_lon`, `max_lon`, `min_code`, `max_code`, `min_category`, `max_category`);
--> statement-breakpoint
INSERT INTO `work_order_area`
	SELECT `id`, `latitude`, `latitude`, `longitude`, `longitude`, `problem_code_id`, `problem_code_id`, `category_id`, `category_id` FROM `work_orders`
	WHERE `latitude` IS NOT NULL AND `longitude` IS NOT NULL AND `status` IN ('new', 'assigned', 'in_progress', 'on_hold');
--> statement-breakpoint
CREATE TRIGGER `work_order_area_insert` AFTER INSERT ON `work_orders`
WHEN NEW.`latitude` IS NOT NULL AND NEW.`longitude` IS NOT NULL AND NEW.`status` IN ('new', 'assigned', 'in_progress', 'on_hold')
BEGIN
	INSERT INTO `work_order_area` VALUES (NEW.`id`, NEW.`latitude`, NEW.`latitude`, NEW.`longitude`, NEW.`longitude`,
		NEW.`problem_code_id`, NEW.`problem_code_id`, NEW.`category_id`, NEW.`category_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `work_order_area_update` AFTER UPDATE OF `status`, `latitude`, `longitude`, `problem_code_id`, `category_id` ON `work_orders`
BEGIN
	DELETE FROM `work_order_area` WHERE `id` = OLD.`id`;
	INSERT INTO `work_order_area`
		SELECT NEW.`id`, NEW.`latitude`, NEW.`latitude`, NEW.`longitude`, NEW.`longitude`,
			NEW.`problem_code_id`, NEW.`problem_code_id`, NEW.`category_id`, NEW.`category_id`
		WHERE NEW.`latitude` IS NOT NULL AND NEW.`longitude` IS NOT NULL AND NEW.`status` IN ('new', 'assigned', 'in_progress', 'on_hold');
END;
