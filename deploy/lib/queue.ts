import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { Alarms } from './alarms';

/**
 * What SqsSource calls: GetQueueUrl and GetQueueAttributes at start and for the depth it reports, ReceiveMessage,
 * and DeleteMessageBatch / ChangeMessageVisibilityBatch, which IAM authorizes as DeleteMessage and
 * ChangeMessageVisibility.
 */
export const SQS_CONSUME_ACTIONS = [
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
  'sqs:ReceiveMessage',
];

export interface DeadLetteredQueueProps {
  readonly queueName: string;
  readonly maxReceiveCount: number;
  readonly alarms: Alarms;
}

/**
 * A pipeline's queue with its dead-letter queue `<name>-dlq`: a message received maxReceiveCount times without being
 * deleted (a batch given up that often, a playtime file refused) moves there, and an alarm fires on the first one.
 */
export class DeadLetteredQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DeadLetteredQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      queueName: `${props.queueName}-dlq`,
      retentionPeriod: Duration.days(14), // SQS keeps a message's first enqueue time: the longest there is, to look
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: props.queueName,
      retentionPeriod: Duration.days(4),
      encryption: sqs.QueueEncryption.SQS_MANAGED, // S3 notifications need no key policy with SSE-SQS
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    });
    props.alarms.add(this, 'DeadLettersAlarm', {
      alarmName: `sluice-${props.queueName}-dlq-not-empty`,
      alarmDescription: `Messages in ${props.queueName}-dlq: received ${props.maxReceiveCount} times without being `
        + 'written (see the pipeline\'s rejects and docs/operations.md)',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  /** The task role's statement to consume this queue, and nothing else. */
  consumeStatement(sid: string): iam.PolicyStatement {
    return new iam.PolicyStatement({ sid, actions: SQS_CONSUME_ACTIONS, resources: [this.queue.queueArn] });
  }
}
