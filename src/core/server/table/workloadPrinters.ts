// The rows of the workload kinds, after pkg/printers/internalversion/printers.go: Deployments
// (READY as ready/desired, UP-TO-DATE, AVAILABLE), ReplicaSets, StatefulSets, DaemonSets, Jobs
// (STATUS, COMPLETIONS, DURATION) and CronJobs, each with CONTAINERS, IMAGES and SELECTOR when wide.
import { ageSince, durationBetween, humanDuration } from './age';
import type { ColumnDefinition, Printer } from './printerTypes';
import {
  ageColumn,
  at,
  column,
  formatLabels,
  formatSelector,
  int,
  list,
  nameColumn,
  templateContainers,
  text,
} from './printerTypes';

const containersColumn = column('Containers', 'string', 'Names of each container in the template.', { wide: true });
const imagesColumn = column('Images', 'string', 'Images referenced by each container in the template.', { wide: true });
const selectorColumn = column('Selector', 'string', 'Label selector for pods.', { wide: true });
const wideTemplate: readonly ColumnDefinition[] = [containersColumn, imagesColumn, selectorColumn];

function name(o: unknown): string {
  return text(at(o, 'metadata', 'name'));
}

export const deploymentPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'Number of the pod with ready state'),
    column(
      'Up-to-date',
      'integer',
      'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
    ),
    column(
      'Available',
      'integer',
      'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
    ),
    ageColumn,
    ...wideTemplate,
  ],
  cells(d, { nowMs }) {
    const [containers, images] = templateContainers(at(d, 'spec', 'template'));
    return [
      name(d),
      `${int(at(d, 'status', 'readyReplicas'))}/${int(at(d, 'spec', 'replicas'))}`,
      int(at(d, 'status', 'updatedReplicas')),
      int(at(d, 'status', 'availableReplicas')),
      ageSince(at(d, 'metadata', 'creationTimestamp'), nowMs),
      containers,
      images,
      formatSelector(at(d, 'spec', 'selector')),
    ];
  },
};

export const replicaSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'integer', 'Replicas is the number of desired pods.'),
    column('Current', 'integer', 'Replicas is the most recently observed number of non-terminating pods.'),
    column(
      'Ready',
      'integer',
      'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.',
    ),
    ageColumn,
    ...wideTemplate,
  ],
  cells(rs, { nowMs }) {
    const [containers, images] = templateContainers(at(rs, 'spec', 'template'));
    return [
      name(rs),
      int(at(rs, 'spec', 'replicas')),
      int(at(rs, 'status', 'replicas')),
      int(at(rs, 'status', 'readyReplicas')),
      ageSince(at(rs, 'metadata', 'creationTimestamp'), nowMs),
      containers,
      images,
      formatSelector(at(rs, 'spec', 'selector')),
    ];
  },
};

export const statefulSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'Number of the pod with ready state'),
    ageColumn,
    containersColumn,
    imagesColumn,
  ],
  cells(ss, { nowMs }) {
    const [containers, images] = templateContainers(at(ss, 'spec', 'template'));
    return [
      name(ss),
      `${int(at(ss, 'status', 'readyReplicas'))}/${int(at(ss, 'spec', 'replicas'))}`,
      ageSince(at(ss, 'metadata', 'creationTimestamp'), nowMs),
      containers,
      images,
    ];
  },
};

export const daemonSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'integer', 'The total number of nodes that should be running the daemon pod.'),
    column('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod.'),
    column('Ready', 'integer', 'The number of nodes that should run the daemon pod and run it with a Ready condition.'),
    column('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    column('Available', 'integer', 'The number of nodes that should run the daemon pod and run it available.'),
    column('Node Selector', 'string', 'NodeSelector is a selector which must be true for the pod to fit on a node.'),
    ageColumn,
    ...wideTemplate,
  ],
  cells(ds, { nowMs }) {
    const [containers, images] = templateContainers(at(ds, 'spec', 'template'));
    return [
      name(ds),
      int(at(ds, 'status', 'desiredNumberScheduled')),
      int(at(ds, 'status', 'currentNumberScheduled')),
      int(at(ds, 'status', 'numberReady')),
      int(at(ds, 'status', 'updatedNumberScheduled')),
      int(at(ds, 'status', 'numberAvailable')),
      formatLabels(at(ds, 'spec', 'template', 'spec', 'nodeSelector')),
      ageSince(at(ds, 'metadata', 'creationTimestamp'), nowMs),
      containers,
      images,
      formatSelector(at(ds, 'spec', 'selector')),
    ];
  },
};

function hasCondition(o: unknown, type: string): boolean {
  return list(at(o, 'status', 'conditions')).some((c) => at(c, 'type') === type && at(c, 'status') === 'True');
}

/** printJob's STATUS: the first condition that holds, in upstream's order. */
function jobStatus(job: unknown): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (at(job, 'metadata', 'deletionTimestamp') !== undefined) return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(job, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function jobCompletions(job: unknown): string {
  const succeeded = int(at(job, 'status', 'succeeded'));
  const completions = at(job, 'spec', 'completions');
  const parallelism = at(job, 'spec', 'parallelism');
  if (typeof completions === 'number') return `${succeeded}/${completions}`;
  if (typeof parallelism === 'number' && parallelism > 1) return `${succeeded}/1 of ${parallelism}`;
  return `${succeeded}/1`;
}

export const jobPrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', 'The completion status of the job as <succeeded>/<desired>.'),
    column('Duration', 'string', 'Time required to complete the job.'),
    ageColumn,
    ...wideTemplate,
  ],
  cells(job, { nowMs }) {
    const [containers, images] = templateContainers(at(job, 'spec', 'template'));
    const start = at(job, 'status', 'startTime');
    const end = at(job, 'status', 'completionTime');
    let duration = '';
    if (typeof start === 'string')
      duration = typeof end === 'string' ? durationBetween(start, end) : humanDuration(nowMs - Date.parse(start));
    return [
      name(job),
      jobStatus(job),
      jobCompletions(job),
      duration,
      ageSince(at(job, 'metadata', 'creationTimestamp'), nowMs),
      containers,
      images,
      formatSelector(at(job, 'spec', 'selector')),
    ];
  },
};

export const cronJobPrinter: Printer = {
  columns: [
    nameColumn,
    column('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    column('Timezone', 'string', 'The time zone name for the given schedule.'),
    column('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions.'),
    column('Active', 'integer', 'A list of pointers to currently running jobs.'),
    column('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    ageColumn,
    ...wideTemplate,
  ],
  cells(cj, { nowMs }) {
    const [containers, images] = templateContainers(at(cj, 'spec', 'jobTemplate', 'spec', 'template'));
    const suspend = at(cj, 'spec', 'suspend');
    const last = at(cj, 'status', 'lastScheduleTime');
    return [
      name(cj),
      text(at(cj, 'spec', 'schedule')),
      text(at(cj, 'spec', 'timeZone'), '<none>'),
      typeof suspend === 'boolean' ? (suspend ? 'True' : 'False') : '<unset>',
      list(at(cj, 'status', 'active')).length,
      typeof last === 'string' ? ageSince(last, nowMs) : '<none>',
      ageSince(at(cj, 'metadata', 'creationTimestamp'), nowMs),
      containers,
      images,
      formatSelector(at(cj, 'spec', 'jobTemplate', 'spec', 'selector')),
    ];
  },
};
