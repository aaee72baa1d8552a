// The cluster soak (in the `chaos` project, so `npm test` and `npm run test:chaos` run it with the
// single-server soak): the same traders, faults and verdict on a 3-node JetStream cluster with R3
// streams, where the commands stream's leader and then a follower are SIGKILLed and restarted.
// CHAOS_CLUSTER_DURATION_S (default 90 s). Replay: CHAOS_SEED=<seed> npx jest soak-cluster --selectProjects chaos.
import { soakSettingsFrom } from './soak-settings';
import { describeSoak } from './soak-test';

describeSoak(
  'soak on a 3-node NATS cluster: stream leader then follower SIGKILLed, executor SIGKILLs, PostgreSQL restarts, exchange faults',
  soakSettingsFrom(process.env, 'cluster'),
);
