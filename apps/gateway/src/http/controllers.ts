import { OpsController } from '@legwork/observability';
import { PositionsController } from './positions.controller';
import { IndicesController } from './indices.controller';
import { AlertsController } from './alerts.controller';
import { OperatorController } from './operator.controller';
import { AccountsController } from './accounts.controller';
import { PositionEventsController } from '../position-events/position-events.controller';

/**
 * Every controller of the gateway: the module serves them, the OpenAPI document is built from
 * their `@ApiDoc`s (http/openapi/). A new controller goes here, its handlers with an `@ApiDoc`.
 */
export const GATEWAY_CONTROLLERS = [
  OpsController,
  PositionsController,
  IndicesController,
  AlertsController,
  OperatorController,
  AccountsController,
  PositionEventsController,
];
