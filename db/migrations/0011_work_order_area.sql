-- Hand-written: drizzle-kit does not model R*Tree. The places of the open work orders that have
-- coordinates, for duplicate search: a bounding-box query here first, then the exact great-circle
-- distance over the few rows it returns. Kept by triggers, so no code path can forget it; a closed
-- work order leaves the tree (and comes back when reopened).
CREATE VIRTUAL TABLE `work_order_area` USING rtree(`id`, `min_lat`, `max_lat`, `min_lon`, `max_lon`);
--> statement-breakpoint
CREATE TRIGGER `work_order_area_insert` AFTER INSERT ON `work_orders`
WHEN NEW.`latitude` IS NOT NULL AND NEW.`longitude` IS NOT NULL AND NEW.`status` IN ('new', 'assigned', 'in_progress', 'on_hold')
BEGIN
	INSERT INTO `work_order_area` VALUES (NEW.`id`, NEW.`latitude`, NEW.`latitude`, NEW.`longitude`, NEW.`longitude`);
END;
--> statement-breakpoint
CREATE TRIGGER `work_order_area_update` AFTER UPDATE OF `status`, `latitude`, `longitude` ON `work_orders`
BEGIN
	DELETE FROM `work_order_area` WHERE `id` = OLD.`id`;
	INSERT INTO `work_order_area`
		SELECT NEW.`id`, NEW.`latitude`, NEW.`latitude`, NEW.`longitude`, NEW.`longitude`
		WHERE NEW.`latitude` IS NOT NULL AND NEW.`longitude` IS NOT NULL AND NEW.`status` IN ('new', 'assigned', 'in_progress', 'on_hold');
END;
