-- AlterTable
ALTER TABLE "catalog_webhook_deliveries" ALTER COLUMN "change_id" DROP NOT NULL;

-- CreateTable
CREATE TABLE "catalog_webhook_attempts" (
    "id" BIGSERIAL NOT NULL,
    "delivery_id" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status_code" INTEGER,
    "error" TEXT,
    "duration_ms" INTEGER NOT NULL,

    CONSTRAINT "catalog_webhook_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "catalog_webhook_attempts_delivery_id_attempt_idx" ON "catalog_webhook_attempts"("delivery_id", "attempt");

-- AddForeignKey
ALTER TABLE "catalog_webhook_attempts" ADD CONSTRAINT "catalog_webhook_attempts_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "catalog_webhook_deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Pending deliveries are claimed by due time (see WebhookDispatcher); pings have no due time.
CREATE INDEX "catalog_webhook_deliveries_pending_idx" ON "catalog_webhook_deliveries"("next_attempt_at")
  WHERE "status" = 'pending';

-- Whether a webhook's patterns select an event `entityKind.action`: `*`, `kind.*`, `*.action` or exact.
CREATE FUNCTION "catalog_webhook_matches"(patterns TEXT[], event TEXT) RETURNS BOOLEAN
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT EXISTS (
    SELECT 1 FROM unnest(patterns) AS p
    WHERE p = '*' OR p = event
       OR (p LIKE '%.*' AND split_part(p, '.', 1) = split_part(event, '.', 1))
       OR (p LIKE '*.%' AND split_part(p, '.', 2) = split_part(event, '.', 2))
  )
$$;

-- Every catalog change enqueues one delivery per matching active webhook, in the writer's own
-- transaction (whoever the writer is), and wakes the dispatchers of every instance through the
-- change feed's channel on commit (PostgreSQL folds identical notifications of a transaction).
CREATE FUNCTION "catalog_enqueue_webhook_deliveries"() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
  event TEXT := NEW."entity_kind" || '.' || NEW."action";
  enqueued INTEGER;
BEGIN
  INSERT INTO "catalog_webhook_deliveries"
    ("id", "webhook_id", "change_id", "event", "payload", "status", "attempts", "next_attempt_at")
  SELECT d."id", d."webhook_id", NEW."id", event,
         jsonb_build_object(
           'id', d."id"::TEXT,
           'event', event,
           'at', to_char(NEW."at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'change', jsonb_build_object(
             'id', NEW."id"::TEXT,
             'entityKind', NEW."entity_kind",
             'entityName', NEW."entity_name",
             'action', NEW."action",
             'actor', jsonb_build_object('kind', NEW."actor_kind", 'id', NEW."actor_id", 'name', NEW."actor_name"),
             'before', NEW."before",
             'after', NEW."after")),
         'pending', 0, CURRENT_TIMESTAMP
  -- A subquery with the volatile gen_random_uuid() in its select list: one id per webhook row.
  FROM (
    SELECT gen_random_uuid() AS "id", w."id" AS "webhook_id"
    FROM "catalog_webhooks" w
    WHERE w."active" AND "catalog_webhook_matches"(w."events", event)
  ) d;
  GET DIAGNOSTICS enqueued = ROW_COUNT;
  IF enqueued > 0 THEN
    PERFORM pg_notify('meshgate_changes', '{"topic":"webhooks"}');
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "catalog_changes_enqueue_webhook_deliveries"
AFTER INSERT ON "catalog_changes"
FOR EACH ROW EXECUTE FUNCTION "catalog_enqueue_webhook_deliveries"();
