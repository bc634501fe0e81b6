import { drain, type Job } from '@e3d/jobs';
import type { MediaPipeline } from './pipeline.ts';
import { markFailed, PROCESSING_ERROR, processMedia } from './process-media.ts';

export const MEDIA_QUEUE = 'media.process';

/** One live processing job per media: a double confirm or a retry never runs two at once. */
export const mediaJobKey = (mediaId: string) => `media:${mediaId}`;

export interface MediaJobPayload {
  mediaId: string;
}

/**
 * The worker's handler. Bad files are settled inside processMedia (media `failed`, job
 * done); other errors (storage or database away) throw and the queue retries with backoff.
 * On the last attempt the media is marked failed too, so no upload spins forever.
 */
export function mediaJobHandler(pipeline: MediaPipeline) {
  return async (job: Job): Promise<void> => {
    const { mediaId } = job.payload as MediaJobPayload;
    try {
      await processMedia(pipeline, mediaId);
    } catch (error) {
      if (job.attempts >= job.maxAttempts) {
        await markFailed(
          pipeline,
          mediaId,
          PROCESSING_ERROR,
          `Processing kept failing: ${(error as Error).message}`,
        );
      }
      throw error;
    }
  };
}

/** Processes every waiting media job in this process (CLI seed/import, tests, benchmarks). */
export function processPendingMedia(pipeline: MediaPipeline) {
  return drain(pipeline.db, { [MEDIA_QUEUE]: mediaJobHandler(pipeline) });
}
