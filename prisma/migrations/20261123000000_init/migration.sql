-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "event_types" (
    "name" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "description" TEXT,
    "owner" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "partitions" INTEGER NOT NULL DEFAULT 3,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "event_types_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "registry_schemas" (
    "id" SERIAL NOT NULL,
    "schema_type" TEXT NOT NULL,
    "schema" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "registry_schemas_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "registry_subject_versions" (
    "subject" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "schema_id" INTEGER NOT NULL,
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "registry_subject_versions_pkey" PRIMARY KEY ("subject","version")
);

-- CreateTable
CREATE TABLE "el_topics" (
    "name" TEXT NOT NULL,
    "partitions" INTEGER NOT NULL,
    "retention_ms" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "el_topics_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "el_partitions" (
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "next_offset" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "el_partitions_pkey" PRIMARY KEY ("topic","partition")
);

-- CreateTable
CREATE TABLE "el_records" (
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "offset" BIGINT NOT NULL,
    "key" BYTEA,
    "value" BYTEA,
    "headers" JSONB NOT NULL DEFAULT '{}',
    "timestamp" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "el_records_pkey" PRIMARY KEY ("topic","partition","offset")
);

-- CreateTable
CREATE TABLE "el_group_offsets" (
    "group_id" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "offset" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "el_group_offsets_pkey" PRIMARY KEY ("group_id","topic","partition")
);

-- CreateIndex
CREATE INDEX "event_types_topic_idx" ON "event_types"("topic");

-- CreateIndex
CREATE UNIQUE INDEX "registry_schemas_fingerprint_key" ON "registry_schemas"("fingerprint");

-- CreateIndex
CREATE INDEX "registry_subject_versions_schema_id_idx" ON "registry_subject_versions"("schema_id");

-- CreateIndex
CREATE INDEX "el_records_timestamp_idx" ON "el_records"("timestamp");

-- AddForeignKey
ALTER TABLE "registry_subject_versions" ADD CONSTRAINT "registry_subject_versions_schema_id_fkey" FOREIGN KEY ("schema_id") REFERENCES "registry_schemas"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "el_partitions" ADD CONSTRAINT "el_partitions_topic_fkey" FOREIGN KEY ("topic") REFERENCES "el_topics"("name") ON DELETE CASCADE ON UPDATE CASCADE;

