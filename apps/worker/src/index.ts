export { startWorkerService, type WorkerService } from './service.ts';
