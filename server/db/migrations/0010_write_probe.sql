CREATE TABLE `write_probe` (
	`id` integer PRIMARY KEY NOT NULL,
	`written_at` integer NOT NULL
);
