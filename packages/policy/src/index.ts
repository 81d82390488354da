export {
  API_KEY_ID_PREFIX,
  generateApiKey,
  apiKeyFromToken,
  hashApiKeySecret,
  apiKeySecretMatches,
  parseAuthorization,
  hashPassword,
  verifyPassword,
  unauthenticated,
  type IssuedApiKey,
  type PresentedCredential,
} from './credentials';
export {
  ACTIONS,
  PRINCIPAL_KINDS,
  RESOURCE_KINDS,
  domainOf,
  type Action,
  type Grant,
  type Principal,
  type PrincipalKind,
  type ResourceKind,
  type ResourceTarget,
} from './model';
export { PolicyEngine, combinedRowFilter, type Decision, type PolicySnapshot } from './policy-engine';
export { createMasker, sensitiveFields, sensitivityClasses, type Masker, type SensitiveField } from './masking';
export {
  PolicyStore,
  type PolicyStoreOptions,
  type Application,
  type ApplicationInput,
  type ApiKeyInfo,
  type UserInfo,
  type GrantInput,
  type GrantInfo,
  type AccessRequestInfo,
  type OidcIdentity,
  type OidcSignIn,
} from './policy-store';
export { OidcLoginStore, type PendingOidcLogin } from './oidc-logins';
export { AuditLog, type AuditActor, type AuditRecord, type AuditEntry, type AuditQuery } from './audit-log';
export { JwtVerifier, type JwtVerifierOptions, type VerifiedJwt } from './jwt-verifier';
