// Messages of the runbook workflow, defined once and imported by clients (CLI, API, tests).
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ApprovalRequest, Decision, Progress } from './runbook-types.ts';

/** Approve or reject a gated step; the validator refuses unknown users and wrong roles at once. */
export const approveUpdate = defineUpdate<Decision, [ApprovalRequest]>('approve');
/** Same meaning as the update, for the Temporal Web UI; a refused signal is recorded, not applied. */
export const approveSignal = defineSignal<[ApprovalRequest]>('approveSignal');
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
export const progressQuery = defineQuery<Progress>('progress');
