-- AlterTable
ALTER TABLE "event_types" ADD COLUMN     "dead_letter_topic" TEXT,
ADD COLUMN     "value_format" TEXT NOT NULL DEFAULT 'json';

