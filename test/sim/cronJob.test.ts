// Cron schedules as robfig/cron reads them, and the CronJob controller against upstream's
// behaviour: Jobs named for their scheduled minute, annotated with it, the history limits,
// concurrencyPolicy Forbid, and the status it keeps.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimCluster } from '../../src/core/sim/cluster';
import { CronError, parseCron } from '../../src/core/sim/controllers/cronSchedule';
import { parseAllObjects } from '../../src/core/sim/scenario/scenario';
import type { KubeObject } from '../../src/core/sim/store/objects';

const at = (iso: string) => Date.parse(iso);
const next = (schedule: string, after: string) => {
  const t = parseCron(schedule).next(at(after));
  return t === undefined ? undefined : new Date(t).toISOString();
};

test('cron schedules: fields, ranges, steps, names, descriptors, and day-of-month OR day-of-week', () => {
  assert.equal(next('*/15 * * * *', '2026-01-01T00:00:00Z'), '2026-01-01T00:15:00.000Z');
  assert.equal(next('0 9 * * 1-5', '2026-01-03T10:00:00Z'), '2026-01-05T09:00:00.000Z', 'Saturday → Monday 09:00');
  assert.equal(next('30 2 1 jan,jul *', '2026-01-01T03:00:00Z'), '2026-07-01T02:30:00.000Z');
  assert.equal(next('@hourly', '2026-01-01T00:00:00Z'), '2026-01-01T01:00:00.000Z');
  assert.equal(next('@every 90s', '2026-01-01T00:00:00Z'), '2026-01-01T00:01:30.000Z');
  // Both day fields restricted: the 13th or a Friday, whichever comes first.
  assert.equal(next('0 0 13 * fri', '2026-01-01T00:00:00Z'), '2026-01-02T00:00:00.000Z');
  assert.equal(next('0 0 13 * *', '2026-01-01T00:00:00Z'), '2026-01-13T00:00:00.000Z');
  assert.equal(next('5/20 * * * *', '2026-01-01T00:06:00Z'), '2026-01-01T00:25:00.000Z');
  assert.throws(() => parseCron('61 * * * *'), CronError);
  assert.throws(() => parseCron('* * * *'), /expected exactly 5 fields, found 4/);
  assert.throws(() => parseCron('@fortnightly'), /unrecognized descriptor/);
});

function runCronJob(extraSpec: string, untilMs: number, podAnnotations = '', schedule = '*/1 * * * *') {
  const cluster = new SimCluster({ seed: 7, version: '1.35', nodeCount: 2 });
  cluster.apply(
    parseAllObjects(`apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: "${schedule}"
${extraSpec}
  jobTemplate:
    spec:
      template:
        metadata:
          annotations: {${podAnnotations}}
        spec:
          restartPolicy: Never
          containers: [{name: report, image: busybox:1.36}]
`) as KubeObject[],
  );
  cluster.run({ untilMs });
  const messages = cluster.ctx.trace.events
    .filter((e) => e.object.kind === 'CronJob' && e.lane === 'controller-manager')
    .map((e) => `${e.reason}: ${e.message}`);
  return { cluster, messages, cronJob: cluster.ctx.store.list('cronjobs')[0], jobs: cluster.ctx.store.list('jobs') };
}

test('a CronJob makes a Job each scheduled minute and keeps the last three that succeeded', () => {
  const { messages, cronJob, jobs } = runCronJob('', 330_000);
  // 00:01 … 00:05 are 29453761 … 29453765 minutes after the Unix epoch.
  const created = messages.filter((m) => m.startsWith('SuccessfulCreate'));
  assert.deepEqual(
    created,
    [1, 2, 3, 4, 5].map((i) => `SuccessfulCreate: Created job report-${29453760 + i}`),
  );
  assert.ok(messages.includes('SawCompletedJob: Saw completed job: report-29453761, condition: Complete'));
  // Five finished by 330 s, three kept: the two oldest go.
  assert.deepEqual(
    messages.filter((m) => m.startsWith('SuccessfulDelete')),
    ['SuccessfulDelete: Deleted job report-29453761', 'SuccessfulDelete: Deleted job report-29453762'],
  );
  const left = jobs
    .filter((j) => !j.metadata.deletionTimestamp)
    .map((j) => j.metadata.name)
    .sort();
  assert.deepEqual(left, ['report-29453763', 'report-29453764', 'report-29453765']);
  const job = jobs.find((j) => j.metadata.name === 'report-29453765')!;
  assert.equal(job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2026-01-01T00:05:00Z');
  assert.deepEqual(
    job.metadata.ownerReferences?.map((r) => `${r.kind}/${r.name}`),
    ['CronJob/report'],
  );
  assert.equal(cronJob.status!.lastScheduleTime, '2026-01-01T00:05:00Z');
  assert.match(cronJob.status!.lastSuccessfulTime!, /^2026-01-01T00:0[45]:\d\dZ$/);
});

test('concurrencyPolicy Forbid: no new Job while the last one runs; the missed minute starts once it is done', () => {
  const { cluster } = runCronJob('  concurrencyPolicy: Forbid', 200_000, 'podtrace.dev/startup-seconds: "100"');
  const events = cluster.ctx.trace.events.filter((e) => e.lane === 'controller-manager');
  const time = (reason: string, message: string) =>
    events.find((e) => e.reason === reason && e.message === message)?.time;
  const forbidden = time(
    'JobAlreadyActive',
    'Not starting job because prior execution is running and concurrency policy is Forbid',
  )!;
  const firstDone = events.find((e) => e.object.name === 'report-29453761' && e.reason === 'Completed')!.time;
  const second = time('SuccessfulCreate', 'Created job report-29453762')!;
  assert.ok(
    forbidden >= 120_000 && forbidden < firstDone,
    `JobAlreadyActive at ${forbidden} ms, first Job done at ${firstDone} ms`,
  );
  assert.ok(second > firstDone, `the 00:02 Job starts at ${second} ms, after the first one finished`);
});

test('cron schedules in a time zone: local fields, and the \
daylight-saving changes as robfig/cron steps through them', () => {
  const inZone = (schedule: string, zone: string, after: string) => {
    const t = parseCron(schedule, zone).next(at(after));
    return t === undefined ? undefined : new Date(t).toISOString();
  };
  // 09:00 in New York is 14:00 UTC in winter (EST) and 13:00 UTC in summer (EDT).
  assert.equal(inZone('0 9 * * *', 'America/New_York', '2026-01-01T00:00:00Z'), '2026-01-01T14:00:00.000Z');
  assert.equal(inZone('0 9 * * *', 'America/New_York', '2026-07-01T00:00:00Z'), '2026-07-01T13:00:00.000Z');
  // Weekdays and days of month are local: Monday 00:30 in Tokyo is Sunday 15:30 UTC.
  assert.equal(inZone('30 0 * * mon', 'Asia/Tokyo', '2026-01-01T00:00:00Z'), '2026-01-04T15:30:00.000Z');
  assert.equal(inZone('0 0 1 * *', 'Asia/Kolkata', '2026-01-01T00:00:00Z'), '2026-01-31T18:30:00.000Z');
  // Berlin springs forward on 2026-03-29 (02:00 → 03:00): 02:30 does not exist that day.
  assert.equal(inZone('30 2 * * *', 'Europe/Berlin', '2026-03-28T02:00:00Z'), '2026-03-30T00:30:00.000Z');
  assert.equal(inZone('0 3 * * *', 'Europe/Berlin', '2026-03-28T03:00:00Z'), '2026-03-29T01:00:00.000Z');
  // It falls back on 2026-10-25 (03:00 → 02:00): 02:30 happens twice, and runs twice.
  const first = inZone('30 2 * * *', 'Europe/Berlin', '2026-10-24T23:00:00Z');
  assert.equal(first, '2026-10-25T00:30:00.000Z');
  assert.equal(inZone('30 2 * * *', 'Europe/Berlin', first!), '2026-10-25T01:30:00.000Z');
  assert.equal(inZone('30 2 * * *', 'Europe/Berlin', '2026-10-25T01:30:00Z'), '2026-10-26T01:30:00.000Z');
  // UTC and Etc/UTC read the fields as they are.
  assert.equal(inZone('0 9 * * *', 'Etc/UTC', '2026-01-01T00:00:00Z'), '2026-01-01T09:00:00.000Z');
});

test('a CronJob with a timeZone makes its Jobs at the local scheduled times, annotated in that zone', () => {
  // 05:31 in Kolkata (+05:30) is 00:01 UTC, a minute after the clock's start; in UTC it would be hours away.
  const { jobs, cronJob } = runCronJob('  timeZone: Asia/Kolkata', 70_000, '', '31 5 * * *');
  assert.deepEqual(
    jobs.map((j) => j.metadata.name),
    ['report-29453761'],
  );
  assert.equal(
    jobs[0].metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'],
    '2026-01-01T05:31:00+05:30',
  );
  assert.equal(cronJob.status!.lastScheduleTime, '2026-01-01T00:01:00Z');
  assert.equal(runCronJob('', 70_000, '', '31 5 * * *').jobs.length, 0);
});

test('an unknown timeZone stops the CronJob with UnknownTimeZone', () => {
  const { messages, jobs } = runCronJob('  timeZone: Mars/Olympus_Mons', 70_000);
  assert.ok(
    messages.includes('UnknownTimeZone: invalid timeZone: "Mars/Olympus_Mons": unknown time zone Mars/Olympus_Mons'),
  );
  assert.equal(jobs.length, 0);
});
