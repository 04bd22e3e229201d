import { Annotations, Aws, CfnParameter, Duration, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { Alarms } from './alarms';
import { SluiceBaseStack } from './base-stack';
import { DeadLetteredQueue } from './queue';
import { secretByNameOrArn } from './secrets';
import { SluiceService } from './service';
import { Settings } from './settings';

export interface PipelineStackProps extends StackProps {
  readonly settings: Settings;
  readonly base: SluiceBaseStack;
}

/** What every pipeline stack has: its settings, its alarms, the API token, and the helpers for its parts. */
abstract class PipelineStack extends Stack {
  protected readonly settings: Settings;
  protected readonly base: SluiceBaseStack;
  protected readonly alarms: Alarms;

  protected constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    this.settings = props.settings;
    this.base = props.base;
    this.alarms = new Alarms(this, props.settings.alarmTopicArn);
  }

  protected newQueue(id: string, queueName: string): DeadLetteredQueue {
    return new DeadLetteredQueue(this, id, { queueName, maxReceiveCount: this.settings.maxReceiveCount,
      alarms: this.alarms });
  }

  /** A private bucket whose name is the one the pipeline is configured with. */
  protected newBucket(id: string, bucketName: string): s3.Bucket {
    return new s3.Bucket(this, id, {
      bucketName,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** The user's database: its URL is a stack parameter (no secret in it), its password a secret. */
  protected postgresUrl(): string {
    return new CfnParameter(this, 'PostgresUrl', {
      type: 'String',
      description: 'JDBC URL of your PostgreSQL (SLUICE_POSTGRES_URL), e.g. '
        + 'jdbc:postgresql://db.internal:5432/analytics?user=sluice',
      allowedPattern: '^jdbc:postgresql://\\S+$',
    }).valueAsString;
  }

  protected postgresPassword(): ecs.Secret {
    return this.secret('PostgresPassword', this.settings.postgresPasswordSecret);
  }

  protected apiToken(): ecs.Secret {
    return ecs.Secret.fromSecretsManager(this.base.apiToken);
  }

  protected secret(id: string, nameOrArn: string): ecs.Secret {
    return ecs.Secret.fromSecretsManager(secretByNameOrArn(this, id, nameOrArn));
  }

  /** A name the built-in configuration cannot take from the environment: say what to do instead of failing later. */
  protected warnUnlessDefault(key: string, value: string, builtIn: string): void {
    if (value !== builtIn) {
      Annotations.of(this).addWarningV2(`sluice:${key}`, `${key}=${value}: the built-in configuration of `
        + `\`sluice run\` reads no variable for it and uses ${builtIn}; run the image with a sluice.yaml that sets it`);
    }
  }
}

function objects(bucket: s3.IBucket, prefix = ''): string {
  return bucket.arnForObjects(`${prefix}*`);
}

/** logins: the login queue into the user's Postgres, ip and device_id masked with the keyset. */
export class LoginsStack extends PipelineStack {
  readonly queue: DeadLetteredQueue;
  readonly service: SluiceService;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    this.queue = this.newQueue('Logins', this.settings.loginsQueue);
    this.service = new SluiceService(this, 'Service', {
      pipeline: 'logins',
      settings: this.settings,
      cluster: this.base.cluster,
      environment: { SLUICE_LOGINS_QUEUE: this.settings.loginsQueue, SLUICE_POSTGRES_URL: this.postgresUrl() },
      secrets: {
        SLUICE_POSTGRES_PASSWORD: this.postgresPassword(),
        SLUICE_KEYSET: this.secret('Keyset', this.settings.keysetSecret),
        SLUICE_API_TOKEN: this.apiToken(),
      },
      statements: [this.queue.consumeStatement('ConsumeLoginQueue')],
    });
  }
}

/** playtime: Parquet files dropped in the dataset bucket, announced on the queue by S3, summed into the user's Redis. */
export class PlaytimeStack extends PipelineStack {
  readonly queue: DeadLetteredQueue;
  readonly bucket: s3.Bucket;
  readonly service: SluiceService;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { playtimeBucket, playtimeQueue } = this.settings;
    this.queue = this.newQueue('Notifications', playtimeQueue);
    this.bucket = this.newBucket('Datasets', playtimeBucket);
    this.notifyOnParquetFiles();
    const redisUrl = new CfnParameter(this, 'RedisUrl', {
      type: 'String',
      description: 'URL of your Redis (SLUICE_REDIS_URL), e.g. rediss://cache.internal:6379',
      allowedPattern: '^rediss?://\\S+$',
    }).valueAsString;
    const redisPassword = this.settings.redisPasswordSecret;
    this.service = new SluiceService(this, 'Service', {
      pipeline: 'playtime',
      settings: this.settings,
      cluster: this.base.cluster,
      environment: {
        SLUICE_PLAYTIME_QUEUE: playtimeQueue,
        SLUICE_REDIS_URL: redisUrl,
        // the built-in configuration wants it set; playtime opens no database
        SLUICE_POSTGRES_URL: 'jdbc:postgresql://unused-by-playtime/none',
      },
      secrets: {
        SLUICE_API_TOKEN: this.apiToken(),
        ...(redisPassword === undefined ? {} : { SLUICE_REDIS_PASSWORD: this.secret('RedisPassword', redisPassword) }),
      },
      statements: [
        this.queue.consumeStatement('ConsumePlaytimeNotifications'),
        new iam.PolicyStatement({ sid: 'ReadPlaytimeDatasets', actions: ['s3:GetObject'],
          resources: [objects(this.bucket)] }),
        // without it S3 answers a file deleted before it was read with 403, not 404: retried instead of refused
        new iam.PolicyStatement({ sid: 'ListPlaytimeDatasets', actions: ['s3:ListBucket'],
          resources: [this.bucket.bucketArn] }),
      ],
    });
  }

  /**
   * S3 → SQS for every `.parquet` object created, set on the bucket itself rather than through CDK's
   * notifications custom resource (a Lambda allowed s3:PutBucketNotification on every bucket). The queue policy
   * names the bucket by its ARN built from its name, so the bucket can wait for the policy without a cycle: S3
   * checks the policy when the configuration is put.
   */
  private notifyOnParquetFiles(): void {
    const queue = this.queue.queue;
    const bucketArn = `arn:${Aws.PARTITION}:s3:::${this.settings.playtimeBucket}`;
    queue.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'PlaytimeDatasetNotifications',
      principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      conditions: {
        ArnEquals: { 'aws:SourceArn': bucketArn },
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      },
    }));
    const cfnBucket = this.bucket.node.defaultChild as s3.CfnBucket;
    cfnBucket.notificationConfiguration = {
      queueConfigurations: [{
        event: 's3:ObjectCreated:*',
        queue: queue.queueArn,
        filter: { s3Key: { rules: [{ name: 'suffix', value: '.parquet' }] } },
      }],
    };
    cfnBucket.node.addDependency(queue); // its policy is a child of the queue
  }
}

/** tracking: events from the queue into raw files in the bucket, loaded into the user's Postgres, charts drawn back. */
export class TrackingStack extends PipelineStack {
  readonly queue: DeadLetteredQueue;
  readonly bucket: s3.Bucket;
  readonly service: SluiceService;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { trackingQueue, trackingBucket, trackingRawPrefix, trackingReportsPrefix } = this.settings;
    this.warnUnlessDefault('trackingRawPrefix', trackingRawPrefix, 'tracking-raw/');
    this.warnUnlessDefault('trackingReportsPrefix', trackingReportsPrefix, 'tracking-reports/');
    this.queue = this.newQueue('Events', trackingQueue);
    this.bucket = this.newBucket('Files', trackingBucket);
    const files = [objects(this.bucket, trackingRawPrefix), objects(this.bucket, trackingReportsPrefix)];
    this.service = new SluiceService(this, 'Service', {
      pipeline: 'tracking',
      settings: this.settings,
      cluster: this.base.cluster,
      environment: {
        SLUICE_TRACKING_QUEUE: trackingQueue,
        SLUICE_TRACKING_BUCKET: trackingBucket,
        SLUICE_POSTGRES_URL: this.postgresUrl(),
      },
      secrets: { SLUICE_POSTGRES_PASSWORD: this.postgresPassword(), SLUICE_API_TOKEN: this.apiToken() },
      statements: [
        this.queue.consumeStatement('ConsumeTrackingEvents'),
        // raw files are stored and read by the load job; charts are drawn and read by the API
        new iam.PolicyStatement({ sid: 'WriteTrackingFiles', actions: ['s3:PutObject'], resources: files }),
        new iam.PolicyStatement({ sid: 'ReadTrackingFiles', actions: ['s3:GetObject'], resources: files }),
        // the load job lists the raw files, the API the charts
        new iam.PolicyStatement({ sid: 'ListTrackingFiles', actions: ['s3:ListBucket'],
          resources: [this.bucket.bucketArn] }),
      ],
    });
  }
}

/** lake: the product events stream (or queue) into partitioned Parquet files in the bucket, deduplicated in Postgres. */
export class LakeStack extends PipelineStack {
  readonly stream?: kinesis.Stream;
  readonly queue?: DeadLetteredQueue;
  readonly bucket: s3.Bucket;
  readonly service: SluiceService;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { lakeSource, lakeStream, lakeQueue, lakeBucket, lakePrefix } = this.settings;
    this.warnUnlessDefault('lakePrefix', lakePrefix, 'events/');
    let read: iam.PolicyStatement;
    // the built-in configuration reads the lake's bucket and stream from these (a bucket name is global: `lake` is
    // taken on AWS, so a deployment names its own)
    const names: Record<string, string> = { SLUICE_LAKE_BUCKET: lakeBucket };
    if (lakeSource === 'kinesis') {
      names.SLUICE_LAKE_STREAM = lakeStream;
      this.stream = this.productEvents();
      read = new iam.PolicyStatement({
        sid: 'ReadProductEvents',
        // KinesisSource: ListShards and GetShardIterator/GetRecords per shard; sluice check: DescribeStreamSummary
        actions: ['kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator',
          'kinesis:ListShards'],
        resources: [this.stream.streamArn],
      });
    } else {
      Annotations.of(this).addWarningV2('sluice:lakeSource', 'lakeSource=sqs: the built-in configuration reads '
        + 'the lake from Kinesis; run the image with a sluice.yaml that sets pipelines.lake.source: sqs');
      this.queue = this.newQueue('Events', lakeQueue);
      read = this.queue.consumeStatement('ConsumeLakeEvents');
    }
    this.bucket = this.newBucket('Lake', lakeBucket);
    this.service = new SluiceService(this, 'Service', {
      pipeline: 'lake',
      settings: this.settings,
      cluster: this.base.cluster,
      environment: { ...names, SLUICE_POSTGRES_URL: this.postgresUrl() },
      secrets: { SLUICE_POSTGRES_PASSWORD: this.postgresPassword(), SLUICE_API_TOKEN: this.apiToken() },
      statements: [
        read,
        // files stored, read back (settling at start, query, compaction) and deleted (a file whose events could not
        // be recorded; compaction's inputs, with If-Match)
        new iam.PolicyStatement({ sid: 'WriteLakeFiles', actions: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
          resources: [objects(this.bucket, lakePrefix)] }),
        new iam.PolicyStatement({ sid: 'ListLakeFiles', actions: ['s3:ListBucket'],
          resources: [this.bucket.bucketArn] }),
      ],
      singleTask: true,
    });
  }

  private productEvents(): kinesis.Stream {
    const stream = new kinesis.Stream(this, 'ProductEvents', {
      streamName: this.settings.lakeStream,
      shardCount: this.settings.lakeShards,
      retentionPeriod: Duration.hours(24),
      encryption: kinesis.StreamEncryption.MANAGED,
    });
    this.alarms.add(this, 'IteratorAgeAlarm', {
      alarmName: `sluice-${this.settings.lakeStream}-iterator-age`,
      alarmDescription: `The lake reads ${this.settings.lakeStream} more than `
        + `${this.settings.iteratorAgeAlarm.toHumanString()} behind, or not at all`,
      metric: stream.metricGetRecordsIteratorAgeMilliseconds({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: this.settings.iteratorAgeAlarm.toMilliseconds(),
      evaluationPeriods: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      // no GetRecords at all (the service down) is as bad as reading late
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    return stream;
  }
}
