// A pod whose only container exits with code 1 a second after each start: CrashLoopBackOff.
export const crasherPod = `apiVersion: v1
kind: Pod
metadata:
  name: crasher
  annotations: {podtrace.dev/exit-code: "1", podtrace.dev/startup-seconds: "1"}
spec:
  containers: [{name: app, image: busybox:1.36}]
`;
