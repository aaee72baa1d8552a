import 'reflect-metadata';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { z } from 'zod';
import type { GatewaySettings } from '../../gateway.settings';
import type { ErrorCode } from '../error.filter';

/** Who may call a route: anyone, a bearer token of a user, or an operator's token. */
export type RouteAuth = 'public' | 'bearer' | 'operator';

/** One answer of a route other than an error: its zod schema (JSON) or another media type. */
export interface RouteAnswer {
  description: string;
  /** The JSON body's schema (the schema the handler's answer is typed with). */
  schema?: z.ZodType;
  /** A body that is not JSON (HTML, the Prometheus text format). */
  media?: { type: string; description: string };
  headers?: Record<string, { description: string; schema: { type: 'string' | 'integer'; enum?: string[] } }>;
}

/**
 * What the OpenAPI document says about one route, next to its handler. Path and method are not
 * repeated here: they are read from the handler's own Nest decorators (`@Get`, `@Post`, the
 * controller's path), so the document cannot name another route than the one served.
 *
 * `errors` lists the refusals the route's use case can answer with (codes, see
 * http/error.filter.ts); the ones every route of its kind can answer are added by the builder
 * (401 without a valid token, 403 for a non-operator on operator routes, 400 for a refused
 * parameter, the body refusals of every POST, 429, 500).
 */
export interface RouteDoc {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  auth: RouteAuth;
  request?: {
    params?: z.ZodObject;
    query?: z.ZodObject;
    headers?: z.ZodObject;
    /** A JSON body (every POST may also answer 413, 415 and a malformed body: Fastify reads them all). */
    body?: z.ZodType;
  };
  /** By status (2xx). */
  responses: Record<number, RouteAnswer>;
  errors?: readonly ErrorCode[];
  /** Probes and scrapes are never rate-limited (http/rate-limit.ts): no 429. */
  notRateLimited?: true;
}

/** A doc, or one built from the gateway's settings (a limit the schema carries). */
export type RouteDocSource = RouteDoc | ((settings: GatewaySettings) => RouteDoc);

const API_DOC = Symbol('legwork:api-doc');

/**
 * Puts a handler in the OpenAPI document: `@ApiDoc({...})` above `@Get(...)` / `@Post(...)`.
 * Every route the gateway serves must carry one (or be listed in openapi/non-nest-routes.ts):
 * the route-coverage test fails otherwise.
 */
export function ApiDoc(doc: RouteDocSource): MethodDecorator {
  return (_target, _key, descriptor) => {
    Reflect.defineMetadata(API_DOC, doc, descriptor.value as object);
    return descriptor;
  };
}

/** A documented route: OpenAPI path (`/api/positions/{id}`), lower-case method, its doc. */
export interface DocumentedRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  doc: RouteDocSource;
}

const METHODS: Partial<Record<RequestMethod, DocumentedRoute['method']>> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.PATCH]: 'patch',
  [RequestMethod.DELETE]: 'delete',
};

/** `api/positions` + `:id/close` → `/api/positions/{id}/close`. */
export function openApiPath(controllerPath: string, handlerPath: string): string {
  const joined = `/${[controllerPath, handlerPath]
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
  return joined.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/**
 * The routes of Nest controllers with their docs, from the same metadata Nest routes by. A
 * handler without `@ApiDoc` is returned with `doc: undefined` (the coverage test names it); a
 * handler on several paths is one route per path.
 * @throws Error for an HTTP method the document builder does not know.
 */
export function controllerRoutes(
  controllers: readonly (new (...args: never[]) => unknown)[],
): (Omit<DocumentedRoute, 'doc'> & { doc: RouteDocSource | undefined; handler: string })[] {
  const routes: (Omit<DocumentedRoute, 'doc'> & { doc: RouteDocSource | undefined; handler: string })[] = [];
  for (const controller of controllers) {
    const base = Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined;
    const prototype = controller.prototype as Record<string, unknown>;
    for (const key of Object.getOwnPropertyNames(prototype)) {
      const handler = prototype[key];
      if (key === 'constructor' || typeof handler !== 'function') continue;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || requestMethod === undefined) continue;
      const method = METHODS[requestMethod];
      if (!method) throw new Error(`${controller.name}.${key}: method ${RequestMethod[requestMethod]} is not documented by the builder`);
      for (const controllerPath of [base ?? ''].flat()) {
        for (const handlerPath of [path].flat()) {
          routes.push({
            method,
            path: openApiPath(controllerPath, handlerPath),
            doc: Reflect.getMetadata(API_DOC, handler) as RouteDocSource | undefined,
            handler: `${controller.name}.${key}`,
          });
        }
      }
    }
  }
  return routes;
}
