// An app instrumented with the real @sentry/node, its DSN pointed at prodx's collector (argv[2]).
// It reports: the same error thrown from two lines of one function whose source text is the
// same (one group), an error from another function (a second), a captureMessage (a third), and
// two exceptions from different places with one custom fingerprint (a fourth). Then flush().
import * as Sentry from '@sentry/node';

Sentry.init({ dsn: process.argv[2], release: 'weather@2.1.0', environment: 'test', tracesSampleRate: 0, sendClientReports: false });

function checkCity(code) {
  if (code === 1) {
    throw new Error(`unknown city ${code}`);
  }
  if (code === 2) {
    throw new Error(`unknown city ${code}`);
  }
}

function parseForecast() {
  throw new TypeError('forecast.days is undefined');
}

for (const code of [1, 2, 1]) {
  try {
    checkCity(code);
  } catch (err) {
    Sentry.captureException(err);
  }
}
try {
  parseForecast();
} catch (err) {
  Sentry.captureException(err);
}
Sentry.captureMessage('Forecast cache is 91% full');
Sentry.captureException(new Error('card declined'), { fingerprint: ['payment-failed'] });
Sentry.captureException(new RangeError('amount out of range'), { fingerprint: ['payment-failed'] });
const flushed = await Sentry.flush(10_000);
process.stdout.write(`${JSON.stringify({ flushed })}\n`);
