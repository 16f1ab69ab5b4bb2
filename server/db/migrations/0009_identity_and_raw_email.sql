ALTER TABLE `inbound_emails` ADD `raw_source` blob;--> statement-breakpoint
ALTER TABLE `inbound_emails` ADD `unreadable` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `visitors` ADD `unverified_email` text;--> statement-breakpoint
CREATE INDEX `email_outbox_to_address_idx` ON `email_outbox` (`to_address`,`created_at`);--> statement-breakpoint
-- Every web visitor linked to a contact so far was linked by an email they typed, which proves
-- nothing: keep the address as their unverified claim and undo the link.
UPDATE `visitors` SET `unverified_email` = (SELECT `email` FROM `contacts` WHERE `contacts`.`id` = `visitors`.`contact_id`), `contact_id` = NULL WHERE `kind` = 'web' AND `contact_id` IS NOT NULL;
