-- CreateTable
CREATE TABLE "policy_oidc_logins" (
    "id" TEXT NOT NULL,
    "code_verifier" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "redirect_uri" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "policy_oidc_logins_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "policy_oidc_logins_expires_at_idx" ON "policy_oidc_logins"("expires_at");

