-- AlterTable
ALTER TABLE "registry_schemas" ADD COLUMN     "references" JSONB NOT NULL DEFAULT '[]';

-- CreateTable
CREATE TABLE "registry_schema_references" (
    "schema_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "version" INTEGER NOT NULL,

    CONSTRAINT "registry_schema_references_pkey" PRIMARY KEY ("schema_id","name")
);

-- CreateTable
CREATE TABLE "registry_configs" (
    "scope" TEXT NOT NULL,
    "compatibility_level" TEXT,
    "normalize" BOOLEAN,
    "json_lenient" BOOLEAN,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "registry_configs_pkey" PRIMARY KEY ("scope")
);

-- CreateTable
CREATE TABLE "registry_modes" (
    "scope" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "registry_modes_pkey" PRIMARY KEY ("scope")
);

-- CreateIndex
CREATE INDEX "registry_schema_references_subject_version_idx" ON "registry_schema_references"("subject", "version");

-- AddForeignKey
ALTER TABLE "registry_schema_references" ADD CONSTRAINT "registry_schema_references_schema_id_fkey" FOREIGN KEY ("schema_id") REFERENCES "registry_schemas"("id") ON DELETE CASCADE ON UPDATE CASCADE;

