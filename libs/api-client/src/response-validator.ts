import { z } from 'zod';

/** The parts of an OpenAPI 3.1 document the validator reads. */
export interface OpenApiDocumentLike {
  paths?: Record<string, Partial<Record<string, { operationId?: string; responses?: Record<string, ResponseLike> }>>>;
  components?: { schemas?: Record<string, unknown> };
}

interface ResponseLike {
  content?: Record<string, { schema?: unknown; examples?: Record<string, unknown> }>;
}

/** A 2xx body that is not what the document promises for its operation. */
export class ResponseMismatchError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly issues: readonly z.core.$ZodIssue[],
  ) {
    super(`${operation} answered ${status} with a body its OpenAPI schema refuses: ${z.prettifyError(new z.ZodError([...issues]))}`);
    this.name = 'ResponseMismatchError';
  }
}

const COMPONENT_REF = '#/components/schemas/';

/**
 * Checks answers against an OpenAPI 3.1 document: the JSON body of a 2xx answer must validate
 * against the schema the document gives that operation and status (zod's JSON Schema reader,
 * `z.fromJSONSchema`, with the document's components as `$defs`). Paths are matched against the
 * document's templates (`/api/positions/{id}`), so a concrete URL finds its operation.
 */
export class ResponseValidator {
  private readonly templates: { method: string; template: string; pattern: RegExp }[];
  private readonly compiled = new Map<string, z.ZodType | null>();
  private readonly defs: Record<string, unknown>;

  constructor(private readonly document: OpenApiDocumentLike) {
    this.defs = rewriteRefs(document.components?.schemas ?? {}) as Record<string, unknown>;
    this.templates = Object.entries(document.paths ?? {}).flatMap(([template, item]) =>
      Object.keys(item).map((method) => ({ method: method.toLowerCase(), template, pattern: templatePattern(template) })),
    );
  }

  /** The document's path template of `method` `path` (a template itself, or a concrete path, query ignored), or null. */
  templateOf(method: string, path: string): string | null {
    // As a client sends it: dot segments resolved (`/a/./b` is `/a/b`), the query left out.
    const bare = new URL(path.split('?')[0] ?? '', 'http://host').pathname;
    const m = method.toLowerCase();
    const exact = this.templates.find((t) => t.method === m && t.template === bare);
    return (exact ?? this.templates.find((t) => t.method === m && t.pattern.test(bare)))?.template ?? null;
  }

  /**
   * @throws ResponseMismatchError when a 2xx JSON `body` does not validate; Error when the
   *   operation, or a JSON schema for its 2xx `status`, is not in the document (an undocumented
   *   answer is a mismatch too), or when an error answer of a documented operation has a status,
   *   or an `error.code`, its documentation does not list (error answers list each code as an
   *   example). 2xx answers documented as another media type are not checked.
   */
  check(method: string, path: string, status: number, body: unknown): void {
    if (status >= 400) return this.checkError(method, path, status, body);
    if (status < 200 || status > 299) return;
    const template = this.templateOf(method, path);
    const operation = template ? this.document.paths?.[template]?.[method.toLowerCase()] : undefined;
    const name = `${method.toUpperCase()} ${template ?? path}`;
    if (!template || !operation) throw new Error(`${name} is not in the OpenAPI document`);
    const response = operation.responses?.[String(status)];
    if (!response) throw new Error(`${name} answered ${status}, which its OpenAPI document does not list`);
    const schema = this.schemaOf(`${name} ${status}`, response);
    if (!schema) return;
    const result = schema.safeParse(body);
    if (!result.success) throw new ResponseMismatchError(operation.operationId ?? name, status, result.error.issues);
  }

  private checkError(method: string, path: string, status: number, body: unknown): void {
    const template = this.templateOf(method, path);
    // Not an operation of the document (an unknown route's 404): nothing documented to compare.
    if (!template) return;
    const name = `${method.toUpperCase()} ${template}`;
    const response = this.document.paths?.[template]?.[method.toLowerCase()]?.responses?.[String(status)];
    if (!response) throw new Error(`${name} answered ${status}, which its OpenAPI document does not list`);
    const examples = response.content?.['application/json']?.examples;
    const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
    if (examples && typeof code === 'string' && !(code in examples))
      throw new Error(`${name} answered ${status} ${code}, a code its OpenAPI document does not list for ${status}`);
  }

  private schemaOf(key: string, response: ResponseLike): z.ZodType | null {
    if (!this.compiled.has(key)) {
      const json = response.content?.['application/json']?.schema;
      const structured =
        json && typeof json === 'object' && Object.keys(json).some((k) => k === '$ref' || k === 'properties' || k === 'items');
      this.compiled.set(
        key,
        structured ? z.fromJSONSchema({ ...(rewriteRefs(json) as object), $defs: this.defs } as z.core.JSONSchema.JSONSchema) : null,
      );
    }
    return this.compiled.get(key) ?? null;
  }
}

/** `#/components/schemas/X` → `#/$defs/X` (zod's reader resolves local `$defs` only). */
function rewriteRefs(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value).split(`"${COMPONENT_REF}`).join('"#/$defs/'));
}

function templatePattern(template: string): RegExp {
  const escaped = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${escaped}$`);
}
