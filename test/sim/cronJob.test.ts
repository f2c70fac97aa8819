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

function runCronJob(extraSpec: string, untilMs: number, podAnnotations = '') {
  const cluster = new SimCluster({ seed: 7, version: '1.35', nodeCount: 2 });
  cluster.apply(
    parseAllObjects(`apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: "*/1 * * * *"
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
  const messages = cluster.ctx.trace.events.filter((e) => e.object.kind === 'CronJob' && e.lane === 'controller-manager').map((e) => `${e.reason}: ${e.message}`);
  return { cluster, messages, cronJob: cluster.ctx.store.list('cronjobs')[0], jobs: cluster.ctx.store.list('jobs') };
}

test('a CronJob makes a Job each scheduled minute and keeps the last three that succeeded', () => {
  const { messages, cronJob, jobs } = runCronJob('', 330_000);
  // 00:01 … 00:05 are 29453761 … 29453765 minutes after the Unix epoch.
  const created = messages.filter((m) => m.startsWith('SuccessfulCreate'));
  assert.deepEqual(created, [1, 2, 3, 4, 5].map((i) => `SuccessfulCreate: Created job report-${29453760 + i}`));
  assert.ok(messages.includes('SawCompletedJob: Saw completed job: report-29453761, condition: Complete'));
  // Five finished by 330 s, three kept: the two oldest go.
  assert.deepEqual(messages.filter((m) => m.startsWith('SuccessfulDelete')), ['SuccessfulDelete: Deleted job report-29453761', 'SuccessfulDelete: Deleted job report-29453762']);
  const left = jobs.filter((j) => !j.metadata.deletionTimestamp).map((j) => j.metadata.name).sort();
  assert.deepEqual(left, ['report-29453763', 'report-29453764', 'report-29453765']);
  const job = jobs.find((j) => j.metadata.name === 'report-29453765')!;
  assert.equal(job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2026-01-01T00:05:00Z');
  assert.deepEqual(job.metadata.ownerReferences?.map((r) => `${r.kind}/${r.name}`), ['CronJob/report']);
  assert.equal(cronJob.status.lastScheduleTime, '2026-01-01T00:05:00Z');
  assert.match(cronJob.status.lastSuccessfulTime, /^2026-01-01T00:0[45]:\d\dZ$/);
});

test('concurrencyPolicy Forbid: no new Job while the last one runs; the missed minute starts once it is done', () => {
  const { cluster } = runCronJob('  concurrencyPolicy: Forbid', 200_000, 'podtrace.dev/startup-seconds: "100"');
  const events = cluster.ctx.trace.events.filter((e) => e.lane === 'controller-manager');
  const time = (reason: string, message: string) => events.find((e) => e.reason === reason && e.message === message)?.time;
  const forbidden = time('JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid')!;
  const firstDone = events.find((e) => e.object.name === 'report-29453761' && e.reason === 'Completed')!.time;
  const second = time('SuccessfulCreate', 'Created job report-29453762')!;
  assert.ok(forbidden >= 120_000 && forbidden < firstDone, `JobAlreadyActive at ${forbidden} ms, first Job done at ${firstDone} ms`);
  assert.ok(second > firstDone, `the 00:02 Job starts at ${second} ms, after the first one finished`);
});

test('a timeZone other than UTC is said to be not applied, not ignored silently', () => {
  const { cluster } = runCronJob('  timeZone: America/New_York', 70_000);
  const note = cluster.ctx.trace.events.find((e) => e.reason === 'NotSimulated');
  assert.equal(note?.severity, 'Warning');
  assert.equal(note?.message, 'podtrace evaluates cron schedules in UTC: timeZone "America/New_York" is not applied');
});
