-- CreateTable
CREATE TABLE "policy_teams" (
    "id" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_teams_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT,
    "oidc_issuer" TEXT,
    "oidc_subject" TEXT,
    "admin" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMPTZ(3),

    CONSTRAINT "policy_users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_team_members" (
    "team_id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'member',

    CONSTRAINT "policy_team_members_pkey" PRIMARY KEY ("team_id","user_id")
);

-- CreateTable
CREATE TABLE "policy_applications" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "owner_team" TEXT,
    "jwt_subject" TEXT,
    "produce_rate_per_second" INTEGER,
    "max_subscriptions" INTEGER,
    "max_connections" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMPTZ(3),

    CONSTRAINT "policy_applications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_api_keys" (
    "id" TEXT NOT NULL,
    "application_id" UUID,
    "user_id" UUID,
    "name" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "policy_api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_grants" (
    "id" UUID NOT NULL,
    "subject_kind" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "resource_kind" TEXT NOT NULL,
    "resource_name" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "unmask" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "row_filter" TEXT,
    "expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by" TEXT,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "policy_grants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_sessions" (
    "id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "policy_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_access_requests" (
    "id" UUID NOT NULL,
    "requester_id" UUID NOT NULL,
    "application_id" UUID,
    "resource_kind" TEXT NOT NULL,
    "resource_name" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "decided_by" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "decision_note" TEXT,
    "grant_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_access_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_kind" TEXT NOT NULL,
    "actor_id" TEXT,
    "actor_name" TEXT,
    "action" TEXT NOT NULL,
    "resource_kind" TEXT,
    "resource_name" TEXT,
    "decision" TEXT NOT NULL,
    "reason" TEXT,
    "source_ip" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "policy_users_email_key" ON "policy_users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "policy_users_oidc_issuer_oidc_subject_key" ON "policy_users"("oidc_issuer", "oidc_subject");

-- CreateIndex
CREATE INDEX "policy_team_members_user_id_idx" ON "policy_team_members"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "policy_applications_name_key" ON "policy_applications"("name");

-- CreateIndex
CREATE UNIQUE INDEX "policy_applications_jwt_subject_key" ON "policy_applications"("jwt_subject");

-- CreateIndex
CREATE INDEX "policy_api_keys_application_id_idx" ON "policy_api_keys"("application_id");

-- CreateIndex
CREATE INDEX "policy_api_keys_user_id_idx" ON "policy_api_keys"("user_id");

-- CreateIndex
CREATE INDEX "policy_grants_subject_kind_subject_id_idx" ON "policy_grants"("subject_kind", "subject_id");

-- CreateIndex
CREATE INDEX "policy_sessions_user_id_idx" ON "policy_sessions"("user_id");

-- CreateIndex
CREATE INDEX "policy_access_requests_status_idx" ON "policy_access_requests"("status");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE INDEX "audit_log_actor_id_at_idx" ON "audit_log"("actor_id", "at");

-- CreateIndex
CREATE INDEX "audit_log_resource_name_at_idx" ON "audit_log"("resource_name", "at");

-- AddForeignKey
ALTER TABLE "policy_team_members" ADD CONSTRAINT "policy_team_members_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "policy_teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_team_members" ADD CONSTRAINT "policy_team_members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "policy_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The audit log is append-only: nothing in the product (or anyone with the product's database
-- role) may change or remove an entry.
CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "audit_log_no_update" BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"();
