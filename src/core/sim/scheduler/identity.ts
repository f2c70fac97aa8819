// Who the simulated kube-scheduler is to the apiserver and in the Events it records.

/** The Events' source: the default profile's scheduler name, reporting events.k8s.io/v1 Events. */
export const schedulerSource = { component: 'default-scheduler', eventsV1: true };

/** The user the scheduler's requests authenticate as. */
export const schedulerUser = 'system:kube-scheduler';
