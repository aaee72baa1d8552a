import { Controller, Get, Headers, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { PositionEventRepository } from '@legwork/persistence';
import { AuthenticatedRequest, BearerGuard } from '../auth/bearer.guard';
import { ApiError } from '../http/api-error';
import { ApiDoc } from '../http/openapi/route-doc';
import { validate } from '../http/validate';
import { PositionEventHub } from './position-event-hub';
import { LastEventId, NoQuery, STREAM_POSITION_EVENTS_DOC } from './position-events.openapi';

/**
 * `GET /api/positions/events`: Server-Sent Events of the caller's own positions and accounts —
 * `position.status`, `position.fill`, `position.deviation`, `alert` — from the durable event log
 * (`position_events`). With `Last-Event-ID`, resumes right after that event (what happened while
 * disconnected, each once, in order); without it, starts at the caller's latest event.
 * Refusals before the stream starts are JSON in the API's error shape: 401, 400
 * `VALIDATION.INVALID_FIELD` (field `Last-Event-ID`: not an integer, or after the caller's latest
 * event), 429 `EVENTS.TOO_MANY_STREAMS`.
 */
@Controller('api/positions/events')
@UseGuards(BearerGuard)
export class PositionEventsController {
  constructor(
    private readonly hub: PositionEventHub,
    private readonly events: PositionEventRepository,
  ) {}

  @ApiDoc(STREAM_POSITION_EVENTS_DOC)
  @Get()
  async stream(
    @Req() req: AuthenticatedRequest,
    @Res() reply: FastifyReply,
    @Headers('last-event-id') rawLastEventId: string | undefined,
    @Query() rawQuery: unknown,
  ): Promise<void> {
    validate(NoQuery, rawQuery ?? {}, 'query');
    const userId = req.principal.userId;
    const resumeAfter = rawLastEventId === undefined ? null : validate(LastEventId, rawLastEventId, 'header', 'Last-Event-ID');
    const latest = await this.events.latestSeq(userId);
    // Every id this stream sends is at most the user's latest: a later one (a client bug, a restored
    // database) would silently skip what comes before it, so it is refused.
    if (resumeAfter !== null && BigInt(resumeAfter) > BigInt(latest)) {
      throw new ApiError('VALIDATION.INVALID_FIELD', 'Last-Event-ID: is after the latest event of this stream', 'Last-Event-ID', 'header');
    }
    const cursor = resumeAfter ?? latest;
    const stream = this.hub.attach(userId, cursor, reply.raw);
    if (!stream) throw new ApiError('EVENTS.TOO_MANY_STREAMS', 'too many open event streams for this user: close one first');
    // From here the response is ours (Fastify sends nothing more); headers set by hooks (rate limit, CORS) are kept.
    reply.hijack();
    stream.start(reply.getHeaders());
  }
}
