/**
 * The CatalogDocument of the issue #6 design (catalog-as-code: what `POST /v1/catalog/apply`
 * takes), as the AsyncAPI import produces it. catalog-core owns the type and its validator
 * (`packages/catalog/src/document.ts`); this is the same shape, kept here until that lands so
 * the converter can be written and tested on its own.
 */
export interface CatalogDocumentShape {
  apiVersion: 'meshgate/v1';
  domains: CatalogDocumentDomain[];
  services: CatalogDocumentService[];
  eventTypes: CatalogDocumentEventType[];
}

/** A domain entry. */
export interface CatalogDocumentDomain {
  name: string;
  displayName: string;
  summary?: string;
  description?: string;
  owner: string;
}

/** A service entry: its declared produced and consumed event types are the declared lineage. */
export interface CatalogDocumentService {
  name: string;
  displayName: string;
  summary?: string;
  description?: string;
  domain?: string;
  owner: string;
  /** Policy application name. */
  application?: string;
  repository?: string;
  produces: string[];
  consumes: string[];
}

/** An event type entry; `schema` is registered under the subject when it differs from the latest. */
export interface CatalogDocumentEventType {
  name: string;
  summary: string;
  description?: string;
  owner: string;
  version?: string;
  lifecycle?: string;
  lifecycleNote?: string;
  visibility?: string;
  tags?: string[];
  topic?: string;
  subject?: string;
  partitions?: number;
  valueFormat?: string;
  schemaVersion?: number;
  keyPath?: string;
  examples?: Array<{ name: string; summary?: string; payload: unknown }>;
  schema?: { type: 'JSON' | 'AVRO' | 'PROTOBUF'; definition: unknown };
}
