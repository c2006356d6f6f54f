-- 020_note_pins.postgres.sql: what a participant points at on the trajectory's plan: a note of the talk can carry a pin (percent from the left and from the top of the picture) and the picture it was placed on. (PostgreSQL version of 020_note_pins.sql)
ALTER TABLE conversation_notes ADD COLUMN pin_x double precision CHECK (pin_x IS NULL OR (pin_x >= 0 AND pin_x <= 100));
ALTER TABLE conversation_notes ADD COLUMN pin_y double precision CHECK (pin_y IS NULL OR (pin_y >= 0 AND pin_y <= 100));
-- The picture as it was when the pin was placed (a later plan may differ).
ALTER TABLE conversation_notes ADD COLUMN material_token text;
