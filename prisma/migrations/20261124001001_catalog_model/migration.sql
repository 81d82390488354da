-- AlterTable
ALTER TABLE "event_types" ADD COLUMN     "domain" TEXT,
ADD COLUMN     "examples" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "key_path" TEXT,
ADD COLUMN     "lifecycle" TEXT NOT NULL DEFAULT 'active',
ADD COLUMN     "lifecycle_note" TEXT,
ADD COLUMN     "schema_version" INTEGER,
ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "version" TEXT NOT NULL DEFAULT '1.0.0',
ADD COLUMN     "visibility" TEXT NOT NULL DEFAULT 'public';

-- Existing event types: the domain is the name's first segment.
UPDATE "event_types" SET "domain" = split_part("name", '.', 1);
ALTER TABLE "event_types" ALTER COLUMN "domain" SET NOT NULL;

-- CreateTable
CREATE TABLE "catalog_domains" (
    "name" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "description" TEXT,
    "owner_team" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "catalog_domains_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "catalog_services" (
    "name" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "summary" TEXT NOT NULL DEFAULT '',
    "description" TEXT,
    "domain" TEXT,
    "owner_team" TEXT NOT NULL,
    "application_id" UUID,
    "repository" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "catalog_services_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "catalog_declared_lineage" (
    "event_type" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "catalog_declared_lineage_pkey" PRIMARY KEY ("event_type","service","role")
);

-- CreateTable
CREATE TABLE "catalog_observed_lineage" (
    "event_type" TEXT NOT NULL,
    "principal_kind" TEXT NOT NULL,
    "principal_id" TEXT NOT NULL,
    "principal_name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "events" BIGINT NOT NULL DEFAULT 0,
    "sessions" BIGINT NOT NULL DEFAULT 0,
    "first_seen" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "catalog_observed_lineage_pkey" PRIMARY KEY ("event_type","principal_kind","principal_id","role")
);

-- CreateTable
CREATE TABLE "catalog_changes" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "entity_kind" TEXT NOT NULL,
    "entity_name" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "actor_kind" TEXT NOT NULL,
    "actor_id" TEXT,
    "actor_name" TEXT,
    "before" JSONB,
    "after" JSONB,

    CONSTRAINT "catalog_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "catalog_webhooks" (
    "id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "events" TEXT[] DEFAULT ARRAY['*']::TEXT[],
    "secret" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,

    CONSTRAINT "catalog_webhooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "catalog_webhook_deliveries" (
    "id" UUID NOT NULL,
    "webhook_id" UUID NOT NULL,
    "change_id" BIGINT NOT NULL,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "catalog_webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "catalog_services_application_id_key" ON "catalog_services"("application_id");

-- CreateIndex
CREATE INDEX "catalog_services_domain_idx" ON "catalog_services"("domain");

-- CreateIndex
CREATE INDEX "catalog_declared_lineage_service_idx" ON "catalog_declared_lineage"("service");

-- CreateIndex
CREATE INDEX "catalog_observed_lineage_principal_kind_principal_id_idx" ON "catalog_observed_lineage"("principal_kind", "principal_id");

-- CreateIndex
CREATE INDEX "catalog_changes_entity_kind_entity_name_id_idx" ON "catalog_changes"("entity_kind", "entity_name", "id");

-- CreateIndex
CREATE INDEX "catalog_changes_at_idx" ON "catalog_changes"("at");

-- CreateIndex
CREATE INDEX "catalog_webhook_deliveries_status_next_attempt_at_idx" ON "catalog_webhook_deliveries"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "catalog_webhook_deliveries_webhook_id_created_at_idx" ON "catalog_webhook_deliveries"("webhook_id", "created_at");

-- CreateIndex
CREATE INDEX "event_types_domain_idx" ON "event_types"("domain");

-- CreateIndex
CREATE INDEX "event_types_owner_idx" ON "event_types"("owner");

-- AddForeignKey
ALTER TABLE "catalog_webhook_deliveries" ADD CONSTRAINT "catalog_webhook_deliveries_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "catalog_webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Domains of existing event types, owned by the owner of their first event type.
INSERT INTO "catalog_domains" ("name", "display_name", "owner_team", "updated_at")
SELECT DISTINCT ON ("domain") "domain", "domain", "owner", CURRENT_TIMESTAMP
FROM "event_types" ORDER BY "domain", "created_at";
