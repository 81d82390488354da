-- Full-text search over the catalog's event types (issue #6): one weighted tsvector per event
-- type in "catalog_search_documents", kept current by triggers on "event_types" and
-- "registry_subject_versions", so every write path updates it in its own transaction. The
-- columns searches filter on (domain, owner, tags, lifecycle, and what visibility rules look
-- at) are copied in too, so a search reads one table.
-- Weights: name A, summary and tags B, description C, field names of the latest schema D.
-- Names, tags and field names are kept as exact words ('simple'), prose (summary, description)
-- as English stems; queries ask for both forms of each word (see catalog_search_query) and match
-- every word as a prefix, for as-you-type search.

-- CreateTable
CREATE TABLE "catalog_search_documents" (
    "event_type" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "visibility" TEXT NOT NULL,
    "lifecycle" TEXT NOT NULL,
    "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "fields" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "document" tsvector NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "catalog_search_documents_pkey" PRIMARY KEY ("event_type")
);

-- CreateIndex
-- fastupdate off: catalog writes are rare, and a pending list would be scanned by every search.
CREATE INDEX "catalog_search_documents_document_idx" ON "catalog_search_documents" USING GIN ("document") WITH (fastupdate = off);

-- CreateIndex (schema registrations find the event types of their subject)
CREATE INDEX "event_types_subject_idx" ON "event_types"("subject");

-- Documents of up to ~8 kB stay in the table's pages: a search reads every document it ranks,
-- and fetching them from TOAST costs several page reads each.
ALTER TABLE "catalog_search_documents" SET (toast_tuple_target = 8160);

-- AddForeignKey (not a Prisma relation, so the EventType model stays as it is)
ALTER TABLE "catalog_search_documents" ADD CONSTRAINT "catalog_search_documents_event_type_fkey"
    FOREIGN KEY ("event_type") REFERENCES "event_types"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- A tsvector of the given words, each kept whole (no parsing: 'orders.order-created' stays one
-- lexeme), lower-cased, with positions so that the weight sticks (a lexeme without positions
-- carries no weight).
CREATE FUNCTION catalog_search_words(words TEXT[], weight "char") RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(
    setweight(
      string_agg(
        '''' || replace(replace(lower(w), '\', '\\'), '''', '''''') || ''':' || least(n, 16383),
        ' '
      )::tsvector,
      weight
    ),
    ''::tsvector
  )
  FROM unnest(words) WITH ORDINALITY AS t(w, n)
  WHERE w IS NOT NULL AND w <> ''
$$;

-- The words of a name, tag or field name: whole, and split on '.', '_', '-', spaces and
-- camelCase humps ('orders.order-created' → orders.order-created, orders, order-created,
-- order, created; 'customerId' → customerid, customer, id).
CREATE FUNCTION catalog_search_split(word TEXT) RETURNS TEXT[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_agg(DISTINCT lower(part))
  FROM (
    SELECT word AS part
    UNION ALL SELECT regexp_split_to_table(word, '\.')
    UNION ALL SELECT regexp_split_to_table(regexp_replace(word, '([a-z0-9])([A-Z])', '\1 \2', 'g'), '[._\s-]+')
  ) parts
  WHERE part <> ''
$$;

-- Prose (summary, description): English stems (queries ask for the exact word and its stem).
-- Exact words as well would double the document, and every search reads the documents it ranks.
CREATE FUNCTION catalog_search_prose(body TEXT, weight "char") RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('english', coalesce(body, '')), weight)
$$;

-- Field paths of a JSON Schema: property names at any depth (through items, combinators,
-- conditionals, additional/pattern properties and $defs), as dotted paths ('items[].sku').
CREATE FUNCTION catalog_search_json_schema_fields(node JSONB, path TEXT, depth INT) RETURNS SETOF TEXT
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  key TEXT;
  value JSONB;
  member TEXT;
  child TEXT;
BEGIN
  IF node IS NULL OR depth > 32 THEN RETURN; END IF;
  IF jsonb_typeof(node) = 'array' THEN
    FOR value IN SELECT jsonb_array_elements(node) LOOP
      RETURN QUERY SELECT catalog_search_json_schema_fields(value, path, depth + 1);
    END LOOP;
    RETURN;
  END IF;
  IF jsonb_typeof(node) <> 'object' THEN RETURN; END IF;
  IF jsonb_typeof(node -> 'properties') = 'object' THEN
    FOR key, value IN SELECT * FROM jsonb_each(node -> 'properties') LOOP
      child := CASE WHEN path = '' THEN key ELSE path || '.' || key END;
      RETURN NEXT child;
      RETURN QUERY SELECT catalog_search_json_schema_fields(value, child, depth + 1);
    END LOOP;
  END IF;
  FOREACH member IN ARRAY ARRAY['items', 'prefixItems', 'additionalItems', 'contains', 'unevaluatedItems'] LOOP
    IF node ? member THEN
      RETURN QUERY SELECT catalog_search_json_schema_fields(node -> member, path || '[]', depth + 1);
    END IF;
  END LOOP;
  FOREACH member IN ARRAY ARRAY['allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else',
                                'additionalProperties', 'unevaluatedProperties'] LOOP
    IF node ? member THEN
      RETURN QUERY SELECT catalog_search_json_schema_fields(node -> member, path, depth + 1);
    END IF;
  END LOOP;
  FOREACH member IN ARRAY ARRAY['patternProperties', 'dependentSchemas'] LOOP
    IF jsonb_typeof(node -> member) = 'object' THEN
      FOR value IN SELECT v FROM jsonb_each(node -> member) AS e(k, v) LOOP
        RETURN QUERY SELECT catalog_search_json_schema_fields(value, path, depth + 1);
      END LOOP;
    END IF;
  END LOOP;
  -- Definitions are named by their key: '$defs/Address' contributes 'Address.city'.
  FOREACH member IN ARRAY ARRAY['$defs', 'definitions'] LOOP
    IF jsonb_typeof(node -> member) = 'object' THEN
      FOR key, value IN SELECT * FROM jsonb_each(node -> member) LOOP
        RETURN QUERY SELECT catalog_search_json_schema_fields(value, key, depth + 1);
      END LOOP;
    END IF;
  END LOOP;
END
$$;

-- Field paths of an Avro schema: record field names at any depth (through unions, arrays, maps).
CREATE FUNCTION catalog_search_avro_fields(node JSONB, path TEXT, depth INT) RETURNS SETOF TEXT
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  field JSONB;
  child TEXT;
  kind TEXT;
BEGIN
  IF node IS NULL OR depth > 32 THEN RETURN; END IF;
  IF jsonb_typeof(node) = 'array' THEN
    FOR field IN SELECT jsonb_array_elements(node) LOOP
      RETURN QUERY SELECT catalog_search_avro_fields(field, path, depth + 1);
    END LOOP;
    RETURN;
  END IF;
  IF jsonb_typeof(node) <> 'object' THEN RETURN; END IF;
  IF jsonb_typeof(node -> 'type') IN ('object', 'array') THEN
    RETURN QUERY SELECT catalog_search_avro_fields(node -> 'type', path, depth + 1);
    RETURN;
  END IF;
  kind := node ->> 'type';
  IF kind IN ('record', 'error') AND jsonb_typeof(node -> 'fields') = 'array' THEN
    FOR field IN SELECT jsonb_array_elements(node -> 'fields') LOOP
      IF jsonb_typeof(field -> 'name') = 'string' THEN
        child := CASE WHEN path = '' THEN field ->> 'name' ELSE path || '.' || (field ->> 'name') END;
        RETURN NEXT child;
        RETURN QUERY SELECT catalog_search_avro_fields(field -> 'type', child, depth + 1);
      END IF;
    END LOOP;
  ELSIF kind = 'array' THEN
    RETURN QUERY SELECT catalog_search_avro_fields(node -> 'items', path || '[]', depth + 1);
  ELSIF kind = 'map' THEN
    RETURN QUERY SELECT catalog_search_avro_fields(node -> 'values', path, depth + 1);
  END IF;
END
$$;

-- Field names of a Protobuf schema: every `[label] type name = number` declaration (comments
-- removed first). Not a parser: message nesting is not reflected in the names.
CREATE FUNCTION catalog_search_protobuf_fields(body TEXT) RETURNS SETOF TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT DISTINCT m[1]
  FROM regexp_matches(
    regexp_replace(body, '//[^\n]*|/\*.*?\*/', ' ', 'g'),
    '(?:^|[;{}])\s*(?:(?:optional|repeated|required)\s+)?(?:map\s*<[^>]*>|[A-Za-z_][A-Za-z0-9_.]*)\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*[0-9]+',
    'g'
  ) AS m
$$;

-- Field paths of a registered schema, by type; an unreadable schema has none (never an error:
-- a schema registration must not fail because of search).
CREATE FUNCTION catalog_search_schema_fields(schema_type TEXT, body TEXT) RETURNS TEXT[]
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF body IS NULL THEN RETURN ARRAY[]::TEXT[]; END IF;
  IF schema_type = 'PROTOBUF' THEN
    RETURN coalesce((SELECT array_agg(f) FROM catalog_search_protobuf_fields(body) AS f), ARRAY[]::TEXT[]);
  ELSIF schema_type = 'AVRO' THEN
    RETURN coalesce(
      (SELECT array_agg(DISTINCT f) FROM catalog_search_avro_fields(body::jsonb, '', 0) AS f),
      ARRAY[]::TEXT[]
    );
  ELSE
    RETURN coalesce(
      (SELECT array_agg(DISTINCT f) FROM catalog_search_json_schema_fields(body::jsonb, '', 0) AS f),
      ARRAY[]::TEXT[]
    );
  END IF;
EXCEPTION WHEN OTHERS THEN
  RETURN ARRAY[]::TEXT[];
END
$$;

-- The words of field paths: each path's last name, whole and split ('items[].unitPrice' →
-- unitprice, unit, price).
CREATE FUNCTION catalog_search_field_words(fields TEXT[]) RETURNS TEXT[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT w), ARRAY[]::TEXT[])
  FROM unnest(fields) AS f,
       unnest(catalog_search_split(regexp_replace(regexp_replace(f, '\[\]', '', 'g'), '^.*\.', ''))) AS w
$$;

-- The words of several names or tags, whole and split.
CREATE FUNCTION catalog_search_name_words(names TEXT[]) RETURNS TEXT[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT w), ARRAY[]::TEXT[])
  FROM unnest(names) AS n, unnest(catalog_search_split(n)) AS w
$$;

-- The search document of an event type.
CREATE FUNCTION catalog_search_document(
  name TEXT, summary TEXT, description TEXT, tags TEXT[], fields TEXT[]
) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT catalog_search_words(catalog_search_name_words(ARRAY[name]), 'A')
      || catalog_search_prose(summary, 'B')
      || catalog_search_words(catalog_search_name_words(coalesce(tags, ARRAY[]::TEXT[])), 'B')
      || catalog_search_prose(description, 'C')
      || catalog_search_words(catalog_search_field_words(fields), 'D')
$$;

-- The query for search words: every word must match (or, with any_word, at least one), each as
-- a prefix of an exact word or of an English stem, restricted to the given weights ('' = all).
-- A word with separators ('order-created') matches whole or as all of its parts. Characters
-- that mean something to tsquery are dropped, so any text is safe here.
CREATE FUNCTION catalog_search_query(words TEXT[], any_word BOOLEAN DEFAULT false, weights TEXT DEFAULT '')
RETURNS tsquery
LANGUAGE plpgsql IMMUTABLE
SET client_min_messages = warning AS $$
DECLARE
  word TEXT;
  part TEXT;
  stem TEXT;
  parts TEXT[];
  alternatives TEXT[];
  word_queries TEXT[] := ARRAY[]::TEXT[];
  part_queries TEXT[];
  suffix TEXT := ':*' || regexp_replace(upper(coalesce(weights, '')), '[^A-D]', '', 'g');
BEGIN
  FOREACH word IN ARRAY coalesce(words, ARRAY[]::TEXT[]) LOOP
    word := lower(regexp_replace(word, '[''\\:&|!()<>*\s]', '', 'g'));
    word := regexp_replace(word, '^[._-]+|[._-]+$', '', 'g');
    CONTINUE WHEN word = '';
    parts := ARRAY(SELECT p FROM regexp_split_to_table(word, '[._-]+') AS p WHERE p <> '');
    part_queries := ARRAY[]::TEXT[];
    FOREACH part IN ARRAY parts LOOP
      alternatives := ARRAY['''' || part || '''' || suffix];
      stem := to_tsquery('english', '''' || part || '''' || suffix)::TEXT;
      IF stem <> '' AND stem <> alternatives[1] THEN alternatives := alternatives || stem; END IF;
      part_queries := part_queries || ('(' || array_to_string(alternatives, ' | ') || ')');
    END LOOP;
    IF cardinality(parts) > 1 THEN
      word_queries := word_queries
        || ('(''' || word || '''' || suffix || ' | (' || array_to_string(part_queries, ' & ') || '))');
    ELSIF cardinality(parts) = 1 THEN
      word_queries := word_queries || part_queries[1];
    END IF;
  END LOOP;
  IF cardinality(word_queries) = 0 THEN RETURN ''::tsquery; END IF;
  RETURN array_to_string(word_queries, CASE WHEN any_word THEN ' | ' ELSE ' & ' END)::tsquery;
END
$$;

-- Recomputes one event type's search document (or removes it when the event type is gone).
CREATE FUNCTION catalog_search_refresh(event_type_name TEXT) RETURNS VOID
LANGUAGE plpgsql AS $$
DECLARE
  et RECORD;
  latest RECORD;
  field_paths TEXT[] := ARRAY[]::TEXT[];
BEGIN
  SELECT e.name, e.summary, e.description, e.tags, e.subject, e.domain, e.owner, e.visibility, e.lifecycle
  INTO et FROM event_types e WHERE e.name = event_type_name;
  IF NOT FOUND THEN
    DELETE FROM catalog_search_documents WHERE event_type = event_type_name;
    RETURN;
  END IF;
  SELECT s.schema_type, s.schema INTO latest
  FROM registry_subject_versions v JOIN registry_schemas s ON s.id = v.schema_id
  WHERE v.subject = et.subject AND NOT v.deleted
  ORDER BY v.version DESC
  LIMIT 1;
  IF FOUND THEN
    field_paths := catalog_search_schema_fields(latest.schema_type, latest.schema);
  END IF;
  INSERT INTO catalog_search_documents
    (event_type, domain, owner, subject, visibility, lifecycle, tags, fields, document, updated_at)
  VALUES (
    et.name, et.domain, et.owner, et.subject, et.visibility, et.lifecycle, coalesce(et.tags, ARRAY[]::TEXT[]),
    field_paths,
    catalog_search_document(et.name, et.summary, et.description, et.tags, field_paths),
    CURRENT_TIMESTAMP
  )
  ON CONFLICT (event_type) DO UPDATE
    SET domain = excluded.domain, owner = excluded.owner, subject = excluded.subject,
        visibility = excluded.visibility, lifecycle = excluded.lifecycle, tags = excluded.tags,
        fields = excluded.fields, document = excluded.document, updated_at = excluded.updated_at;
END
$$;

CREATE FUNCTION catalog_search_event_type_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM catalog_search_refresh(NEW.name);
  RETURN NULL;
END
$$;

CREATE TRIGGER catalog_search_event_types
AFTER INSERT OR UPDATE OF name, summary, description, tags, subject, domain, owner, visibility, lifecycle ON event_types
FOR EACH ROW EXECUTE FUNCTION catalog_search_event_type_changed();

-- A version registered, soft-deleted, restored or removed: the subject's latest schema may have changed.
CREATE FUNCTION catalog_search_subject_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM catalog_search_refresh(e.name) FROM event_types e WHERE e.subject = NEW.subject;
  END IF;
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.subject IS DISTINCT FROM NEW.subject) THEN
    PERFORM catalog_search_refresh(e.name) FROM event_types e WHERE e.subject = OLD.subject;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER catalog_search_subject_versions
AFTER INSERT OR UPDATE OR DELETE ON registry_subject_versions
FOR EACH ROW EXECUTE FUNCTION catalog_search_subject_changed();

-- Existing event types.
SELECT catalog_search_refresh(name) FROM event_types;
