// The CronJob controller (pkg/controller/cronjob, ControllerV2): at each scheduled time it
// creates a Job `<cronjob>-<minutes since the epoch>` from the jobTemplate, annotated with
// its scheduled timestamp, keeps the running ones in status.active, notes finished ones
// (`SawCompletedJob`), honours concurrencyPolicy (Allow, Forbid, Replace),
// startingDeadlineSeconds and suspend, deletes finished Jobs beyond the history limits, and
// looks again 100 ms after the next scheduled time. In a run to quiescence the first
// scheduled Job is waited for; later ones run only within `--until`.
import type { CronJobSpec, ObjectReference } from '../../base/apiObjects';
import { fieldsCause, type EventCause } from '../../trace/model/eventCause';
import type { SimContext } from '../client/context';
import { epochMs, rfc3339 } from '../store/naming';
import { keyOf, objectKey } from '../store/objects';
import type { CronJob, Job } from '../store/kinds';
import { CronError, knownTimeZone, parseCron, rfc3339InZone } from './cronSchedule';
import { controllerLatency, controllerOf, Informer, splitKey, WorkQueue, WritesInFlight } from '../client/informer';

const source = { component: 'cronjob-controller' };
const user = 'system:serviceaccount:kube-system:cronjob-controller';
/** nextScheduleDelta: the controller looks again this long after a scheduled time. */
const nextScheduleDeltaMs = 100;
/** The fields that decide a CronJob's events. */
const causes = {
  schedule: fieldsCause('spec.schedule'),
  timeZone: fieldsCause('spec.timeZone'),
  /** A missed start: its deadline when there is one, else the schedule. */
  deadline: fieldsCause('spec.startingDeadlineSeconds', 'spec.schedule'),
  concurrency: fieldsCause('spec.concurrencyPolicy'),
  successfulHistory: fieldsCause('spec.successfulJobsHistoryLimit'),
  failedHistory: fieldsCause('spec.failedJobsHistoryLimit'),
} as const;

export class CronJobController {
  private readonly cronJobs: Informer<CronJob>;
  private readonly jobs: Informer<Job>;
  private readonly queue: WorkQueue;
  /** CronJobs that have made their first Job: later schedules are background work. */
  private readonly started = new Set<string>();
  private readonly writes: WritesInFlight;
  /** The last scheduled time each CronJob made a Job for, as this controller knows it before its cache does. */
  private readonly lastScheduled = new Map<string, number>();
  /** Jobs already seen finished (and taken off the active list), by uid, for the same reason. */
  private readonly seenFinished = new Set<string>();
  /** Jobs this controller asked to delete, by uid, until they are gone. */
  private readonly deleting = new Set<string>();

  constructor(private readonly ctx: SimContext) {
    this.queue = new WorkQueue(ctx.engine, controllerLatency(ctx, 'cronjob-controller'), (key) => this.sync(key));
    this.writes = new WritesInFlight(this.queue);
    this.cronJobs = ctx.informers.get('cronjobs').onChange((e) => this.queue.add(keyOf(e.object)));
    this.jobs = ctx.informers.get('jobs').onChange((e) => {
      if (e.type === 'DELETED') this.deleting.delete(e.object.metadata.uid!);
      const owner = controllerOf(e.object);
      if (owner?.kind === 'CronJob') this.queue.add(objectKey(e.object.metadata.namespace, owner.name));
    });
  }

  private sync(key: string): void {
    if (this.writes.holds(key)) return;
    const [namespace, name] = splitKey(key);
    const cj = this.cronJobs.get(namespace, name);
    if (!cj) return;
    const spec: Partial<CronJobSpec> = cj.spec ?? {};
    const status = cj.status ?? {};
    const now = epochMs + this.ctx.engine.now();
    const children = [...this.jobs.inNamespace(namespace ?? '')].filter(
      (j) => controllerOf(j)?.uid === cj.metadata.uid,
    );
    let active: ObjectReference[] = (status.active ?? []).filter(
      (r: ObjectReference) => !this.seenFinished.has(r.uid!),
    );
    let lastSuccessfulTime: string | null | undefined = status.lastSuccessfulTime;
    let changed = false;
    for (const job of children) {
      const finished = finishedCondition(job);
      if (!finished) continue;
      if (active.some((r) => r.uid === job.metadata.uid)) {
        active = active.filter((r) => r.uid !== job.metadata.uid);
        changed = true;
        this.seenFinished.add(job.metadata.uid!);
        this.record(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata.name}, condition: ${finished}`);
      }
      const completed = job.status?.completionTime;
      if (finished === 'Complete' && completed && (!lastSuccessfulTime || completed > lastSuccessfulTime)) {
        lastSuccessfulTime = completed;
        changed = true;
      }
    }
    for (const ref of [...active]) {
      if (children.some((j) => j.metadata.uid === ref.uid)) continue;
      this.record(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
      active = active.filter((r) => r !== ref);
      changed = true;
    }
    this.cleanupFinished(cj, children);
    const write = (extra: Record<string, unknown> = {}) =>
      this.writeStatus(cj, {
        ...(active.length > 0 ? { active } : {}),
        lastScheduleTime: status.lastScheduleTime,
        lastSuccessfulTime,
        ...extra,
      });
    if (cj.metadata.deletionTimestamp || spec.suspend === true) return void (changed && write());

    // syncCronJob: an unknown zone stops scheduling, said at each sync (the apiserver's
    // validation turns most away before this).
    const zone: string | undefined = spec.timeZone ?? undefined;
    if (zone !== undefined && !knownTimeZone(zone)) {
      this.record(
        cj,
        'Warning',
        'UnknownTimeZone',
        `invalid timeZone: ${JSON.stringify(zone)}: unknown time zone ${zone}`,
        causes.timeZone,
      );
      return void (changed && write());
    }
    let schedule;
    try {
      schedule = parseCron(spec.schedule ?? '', zone);
    } catch (e) {
      if (!(e instanceof CronError)) throw e;
      this.record(
        cj,
        'Warning',
        'UnparseableSchedule',
        `unparseable schedule: ${JSON.stringify(spec.schedule)} : ${e.message}`,
        causes.schedule,
      );
      return void (changed && write());
    }
    // The most recent scheduled time that has passed and was not yet acted on.
    const lastScheduled = Math.max(
      status.lastScheduleTime ? Date.parse(status.lastScheduleTime) : 0,
      this.lastScheduled.get(cj.metadata.uid!) ?? 0,
    );
    const since = Math.max(
      lastScheduled > 0 ? lastScheduled : Date.parse(cj.metadata.creationTimestamp!),
      spec.startingDeadlineSeconds !== undefined ? now - spec.startingDeadlineSeconds * 1000 : 0,
    );
    let scheduled: number | undefined;
    for (let t = schedule.next(since); t !== undefined && t <= now; t = schedule.next(t)) scheduled = t;
    const lookAgain = () => {
      const next = schedule.next(Math.max(now, scheduled ?? now));
      if (next !== undefined)
        this.queue.addAfter(key, next - now + nextScheduleDeltaMs, this.started.has(cj.metadata.uid!));
    };
    if (
      scheduled === undefined ||
      (spec.startingDeadlineSeconds !== undefined && scheduled + spec.startingDeadlineSeconds * 1000 < now)
    ) {
      if (scheduled !== undefined)
        this.record(
          cj,
          'Warning',
          'MissSchedule',
          `Missed scheduled time to start a job: ${new Date(scheduled).toUTCString().replace('GMT', '+0000')}`,
          causes.deadline,
        );
      lookAgain();
      return void (changed && write());
    }
    const jobName = `${cj.metadata.name}-${Math.floor(scheduled / 60_000)}`;
    if (active.some((r) => r.name === jobName) || lastScheduled === scheduled) {
      lookAgain();
      return void (changed && write());
    }
    if (spec.concurrencyPolicy === 'Forbid' && active.length > 0) {
      this.record(
        cj,
        'Normal',
        'JobAlreadyActive',
        'Not starting job because prior execution is running and concurrency policy is Forbid',
        causes.concurrency,
      );
      lookAgain();
      return void (changed && write());
    }
    if (spec.concurrencyPolicy === 'Replace') {
      for (const ref of active) this.deleteJob(cj, ref.name!, causes.concurrency);
      active = [];
    }
    this.lastScheduled.set(cj.metadata.uid!, scheduled);
    this.createJob(cj, jobName, scheduled, (job) => {
      active = [
        ...active,
        {
          kind: 'Job',
          namespace: job.metadata.namespace,
          name: job.metadata.name,
          uid: job.metadata.uid,
          apiVersion: 'batch/v1',
          resourceVersion: job.metadata.resourceVersion,
        },
      ];
      write({ lastScheduleTime: rfc3339(scheduled! - epochMs) });
    });
    this.started.add(cj.metadata.uid!);
    lookAgain();
  }

  /** getJobFromTemplate2: the jobTemplate as a Job named for its scheduled minute. */
  private createJob(cj: CronJob, name: string, scheduled: number, created: (job: Job) => void): void {
    const template = cj.spec!.jobTemplate ?? {};
    const job: Job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: cj.metadata.namespace,
        labels: template.metadata?.labels,
        annotations: {
          ...(template.metadata?.annotations ?? {}),
          'batch.kubernetes.io/cronjob-scheduled-timestamp': rfc3339InZone(scheduled, cj.spec!.timeZone ?? 'UTC'),
        },
        ownerReferences: [
          {
            apiVersion: 'batch/v1',
            kind: 'CronJob',
            name: cj.metadata.name,
            uid: cj.metadata.uid!,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: template.spec,
    };
    const key = keyOf(cj);
    this.writes.started(key);
    this.ctx.api.create('jobs', job, user, {
      traceSteps: true,
      causes: this.ctx.api.causesOf(cj),
      onDone: (stored, error) => {
        if (stored) {
          this.record(cj, 'Normal', 'SuccessfulCreate', `Created job ${stored.metadata.name}`, causes.schedule);
          created(stored);
        } else if (error?.code === 409) {
          // Made already (by an earlier sync): take it into the active list if it is ours.
          const existing = this.ctx.store.get('jobs', cj.metadata.namespace, name);
          if (existing && controllerOf(existing)?.uid === cj.metadata.uid && !finishedCondition(existing))
            created(existing);
        } else if (error) this.record(cj, 'Warning', 'FailedCreate', `Error creating job: ${error.message}`);
        this.writes.done(key);
      },
    });
  }

  /** Finished Jobs beyond successfulJobsHistoryLimit (3) and failedJobsHistoryLimit (1) go, oldest first. */
  private cleanupFinished(cj: CronJob, children: readonly Job[]): void {
    for (const [type, limit, cause] of [
      ['Complete', cj.spec!.successfulJobsHistoryLimit, causes.successfulHistory],
      ['Failed', cj.spec!.failedJobsHistoryLimit, causes.failedHistory],
    ] as const) {
      if (limit === undefined || limit === null) continue;
      const done = children
        .filter(
          (j) => finishedCondition(j) === type && !j.metadata.deletionTimestamp && !this.deleting.has(j.metadata.uid!),
        )
        .sort(
          (a, b) =>
            (a.status?.startTime ?? '').localeCompare(b.status?.startTime ?? '') ||
            a.metadata.name.localeCompare(b.metadata.name),
        );
      for (const job of done.slice(0, Math.max(0, done.length - limit))) {
        this.deleting.add(job.metadata.uid!);
        this.deleteJob(cj, job.metadata.name, cause);
      }
    }
  }

  /** Deletes a Job of the CronJob; `cause` is the field that decided it (a history limit, the concurrency policy). */
  private deleteJob(cj: CronJob, name: string, cause: EventCause): void {
    this.ctx.api.delete(
      'jobs',
      cj.metadata.namespace,
      name,
      user,
      { propagationPolicy: 'Background' },
      {
        traceSteps: true,
        causes: this.ctx.api.causesOf(cj),
        onDone: (_r, error) => {
          if (error) this.record(cj, 'Warning', 'FailedDelete', `Deleted job: ${error.message}`, cause);
          else this.record(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${name}`, cause);
        },
      },
    );
  }

  private writeStatus(cj: CronJob, status: Record<string, unknown>): void {
    const key = keyOf(cj);
    this.writes.started(key);
    const clean = Object.fromEntries(Object.entries(status).filter(([, v]) => v !== undefined));
    this.ctx.api.patch(
      'cronjobs',
      cj.metadata.namespace,
      cj.metadata.name,
      (cur) => ({ ...cur, status: clean }),
      user,
      { onDone: () => this.writes.done(key) },
    );
  }

  private record(cj: CronJob, type: 'Normal' | 'Warning', reason: string, message: string, cause?: EventCause): void {
    this.ctx.events.record(source, cj, type, reason, message, { lane: 'controller-manager', node: null, cause });
  }
}

/** Complete or Failed, when the Job has finished. */
function finishedCondition(job: Job): 'Complete' | 'Failed' | undefined {
  for (const c of job.status?.conditions ?? [])
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c.type;
  return undefined;
}
