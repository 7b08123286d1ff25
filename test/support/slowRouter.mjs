#!/usr/bin/env node
// A `command` router for the kill tests: sets the weights on a builtin router's admin endpoint
// (argv[2]), then, when the switch sends traffic to green, takes a long time to return, like a
// slow cloud load-balancer API, so a test can kill prodx while it is in the switching phase.
// It exits by itself when the prodx that ran it is gone.
const [admin] = process.argv.slice(2);
const weights = JSON.parse(process.env.PRODX_WEIGHTS ?? '{}');
const res = await fetch(`http://${admin}/weights`, {
  method: 'PUT',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(weights),
});
if (!res.ok) {
  console.error(`weights refused: ${await res.text()}`);
  process.exit(1);
}
if ((weights.green ?? 0) > 0) {
  const parent = process.ppid;
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.exit(0);
    }
  }, 100);
}
