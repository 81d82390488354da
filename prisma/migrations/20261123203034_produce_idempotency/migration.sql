-- CreateTable
CREATE TABLE "produce_idempotency_keys" (
    "event_type" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "response" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "produce_idempotency_keys_pkey" PRIMARY KEY ("event_type","key")
);

-- CreateIndex
CREATE INDEX "produce_idempotency_keys_expires_at_idx" ON "produce_idempotency_keys"("expires_at");

