import { Kafka, Partitioners, logLevel, type Producer } from 'kafkajs';
import { createPostgresEventLog, type EventLog } from '@meshgate/event-log';
import { testKafkaBrokers, type Adapter } from './harness';

/** A record written around the gateway. */
export interface DirectRecord {
  key?: string;
  value: Buffer | string | null;
  headers?: Record<string, string>;
}

/** Where a direct write landed. */
export interface DirectPosition {
  partition: number;
  offset: number;
}

/** A producer that bypasses the gateway: a plain kafkajs producer, or on the embedded log a client of its own. */
export interface DirectWriter {
  /** Writes records one by one, in order, and resolves with each one's position. */
  send(topic: string, records: readonly DirectRecord[]): Promise<DirectPosition[]>;
  close(): Promise<void>;
}

/** Opens a direct writer for the adapter (`databaseUrl`: the gateway's database, for the embedded log). */
export async function openDirectWriter(adapter: Adapter, databaseUrl: string): Promise<DirectWriter> {
  if (adapter === 'kafka') {
    const kafka = new Kafka({ clientId: 'direct-producer', brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });
    const producer: Producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    return {
      async send(topic, records) {
        const positions: DirectPosition[] = [];
        for (const record of records) {
          const [meta] = await producer.send({
            topic,
            acks: -1,
            messages: [{ key: record.key ?? null, value: record.value, headers: record.headers ?? {} }],
          });
          positions.push({ partition: meta!.partition, offset: Number(meta!.baseOffset) });
        }
        return positions;
      },
      close: () => producer.disconnect(),
    };
  }
  const log: EventLog = createPostgresEventLog({ databaseUrl });
  return {
    async send(topic, records) {
      const positions: DirectPosition[] = [];
      for (const record of records) {
        const [result] = await log.append(topic, [
          {
            ...(record.key === undefined ? {} : { key: record.key }),
            value: record.value,
            headers: record.headers ?? {},
          },
        ]);
        positions.push({ partition: result!.partition, offset: result!.offset });
      }
      return positions;
    },
    close: () => log.close(),
  };
}
