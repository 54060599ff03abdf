/** Test harness: real nats-server launcher, in-process bus, child-process services. */
export { startNatsServer, natsServerAvailable, type NatsServerHandle } from './nats-server';
export { runChildService, type ChildService } from './child-service';
export { InProcessBus } from '../bus/in-process-bus';
