import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Pipeline, Settings } from './settings';

export const API_PORT = 8080;

/** The image's own health check, as docs/operations.md gives it: the JRE image has bash but no curl or wget. */
const HEALTH_PROBE = 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf \'GET /health HTTP/1.1\\r\\nHost: localhost\\r\\n'
  + 'Connection: close\\r\\n\\r\\n\' >&3 && head -n 1 <&3 | grep -q \' 200 \'';

const ECR_IMAGE = /^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([^:@]+)(?::([^@]+)|@(sha256:[a-f0-9]{64}))?$/;

export interface SluiceServiceProps {
  readonly pipeline: Pipeline;
  readonly settings: Settings;
  readonly cluster: ecs.ICluster;
  readonly environment: Record<string, string>;
  readonly secrets: Record<string, ecs.Secret>;
  /** The task role's statements: exactly what this pipeline calls, on its own resources. */
  readonly statements: iam.PolicyStatement[];
  /** One task at a time, also during a deployment (the lake: one reader per shard, one settler of its files). */
  readonly singleTask?: boolean;
}

/** A Fargate service running `sluice run <pipeline>` on the slim image, with a task role of its own. */
export class SluiceService extends Construct {
  readonly taskRole: iam.Role;
  readonly service: ecs.FargateService;

  constructor(scope: Construct, id: string, props: SluiceServiceProps) {
    super(scope, id);
    const { pipeline, settings } = props;
    this.taskRole = new iam.Role(this, 'TaskRole', {
      description: `Sluice ${pipeline}: what the pipeline calls, on its own resources`,
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com').withConditions({
        ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:ecs:${Aws.REGION}:${Aws.ACCOUNT_ID}:*` },
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      }),
    });
    props.statements.forEach((statement) => this.taskRole.addToPolicy(statement));

    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/ecs/sluice/${pipeline}`,
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const task = new ecs.FargateTaskDefinition(this, 'Task', {
      family: `sluice-${pipeline}`,
      cpu: settings.cpu,
      memoryLimitMiB: settings.memoryMiB,
      taskRole: this.taskRole,
      runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
        cpuArchitecture: ecs.CpuArchitecture.X86_64 },
    });
    task.addContainer('sluice', {
      containerName: 'sluice',
      image: this.image(settings.image),
      command: ['run', '--host', '0.0.0.0', pipeline],
      portMappings: [{ containerPort: API_PORT, protocol: ecs.Protocol.TCP }],
      // run's stop: runner.stopTimeout (20 s) to finish and release, then up to 10 s of closing
      stopTimeout: Duration.seconds(40),
      environment: { AWS_REGION: Aws.REGION, ...props.environment },
      secrets: props.secrets,
      healthCheck: {
        command: ['CMD', 'bash', '-c', HEALTH_PROBE],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(60),
      },
      logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix: 'sluice' }),
    });
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.cluster.vpc,
      description: `Sluice ${pipeline}: out to AWS, Postgres and Redis; nothing in until a load balancer is added`,
      allowAllOutbound: true,
    });
    this.service = new ecs.FargateService(this, 'Service', {
      serviceName: `sluice-${pipeline}`,
      cluster: props.cluster,
      taskDefinition: task,
      desiredCount: props.singleTask ? Math.min(settings.desiredCount, 1) : settings.desiredCount,
      // the lake stops the old task before starting the new one; the others overlap, as competing consumers
      minHealthyPercent: props.singleTask ? 0 : 100,
      maxHealthyPercent: props.singleTask ? 100 : 200,
      circuitBreaker: { rollback: true },
      securityGroups: [securityGroup],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
    });
  }

  /** An ECR image is pulled with the execution role's permissions on that repository only. */
  private image(uri: string): ecs.ContainerImage {
    const ecrImage = ECR_IMAGE.exec(uri);
    if (ecrImage === null) {
      return ecs.ContainerImage.fromRegistry(uri);
    }
    const [, account, region, china, name, tag, digest] = ecrImage;
    const repository = ecr.Repository.fromRepositoryAttributes(this, 'Repository', {
      repositoryName: name,
      repositoryArn: `arn:${china ? 'aws-cn' : 'aws'}:ecr:${region}:${account}:repository/${name}`,
    });
    return ecs.ContainerImage.fromEcrRepository(repository, digest ?? tag ?? 'latest');
  }
}
