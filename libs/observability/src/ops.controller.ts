import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Registry } from 'prom-client';
import { HealthRegistry } from './health';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/**
 * The operational routes of every service:
 * - `/health/live` (liveness): 200 `{status: "ok"}` whenever the process can answer HTTP; it
 *   checks no dependency, so an outage of NATS or PostgreSQL never restarts a pod.
 * - `/health/ready` (readiness) and its alias `/health`: 200 when every required dependency
 *   check passes (`status` `ok`, or `degraded` when only a check the service can run without
 *   fails), 503 `unavailable` otherwise; the body is the {@link HealthReport}.
 * - `/metrics`: Prometheus text exposition.
 */
@Controller()
export class OpsController {
  constructor(
    private readonly health: HealthRegistry,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
  ) {}

  @Get('health/live')
  @Header('Cache-Control', 'no-store')
  getLiveness(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get(['health/ready', 'health'])
  async getReadiness(@Res() reply: FastifyReply): Promise<void> {
    const report = await this.health.report();
    await reply
      .header('Cache-Control', 'no-store')
      .status(report.status === 'unavailable' ? 503 : 200)
      .send(report);
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async getMetrics(@Res() reply: FastifyReply): Promise<void> {
    await reply.header('Content-Type', this.registry.contentType).send(await this.registry.metrics());
  }
}
