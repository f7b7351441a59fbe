import { metrics } from './metrics';

export interface RejectionLogger {
  error(message: string, ...rest: unknown[]): void;
}

/**
 * Node's default for a promise rejection nobody handles is to exit. A bug in one request's
 * error path must not take down every other request, so a long-running process logs and
 * counts it (`clarion_unhandled_rejections_total`) instead, and keeps serving.
 * Returns a function that removes the handler (for tests).
 */
export function surviveUnhandledRejections(logger: RejectionLogger, target: NodeJS.EventEmitter = process): () => void {
  const onRejection = (reason: unknown): void => {
    metrics.unhandledRejections.inc();
    const detail = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
    logger.error(`unhandled promise rejection (process kept running): ${detail}`);
  };
  target.on('unhandledRejection', onRejection);
  return () => void target.off('unhandledRejection', onRejection);
}
