// Container health check: GET http://127.0.0.1:$HEALTHCHECK_PORT/health, exit 0 on 200.
// Used by the Dockerfile's HEALTHCHECK and by docker-compose.yml (the slim Node image has no
// curl or wget). Plain Node, no dependencies.
'use strict';
const http = require('node:http');

const port = Number(process.argv[2] || process.env.HEALTHCHECK_PORT);
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write('healthcheck: set HEALTHCHECK_PORT or pass the port\n');
  process.exit(2);
}
const request = http.get({ host: '127.0.0.1', port, path: '/health', timeout: 4000 }, (response) => {
  response.resume();
  process.exit(response.statusCode === 200 ? 0 : 1);
});
request.on('timeout', () => request.destroy(new Error('timed out')));
request.on('error', (error) => {
  process.stderr.write(`healthcheck: ${error.message}\n`);
  process.exit(1);
});
