import { InProcessBus } from '../src';
import { busContract } from './bus-contract';

busContract('in-process', async () => new InProcessBus());
