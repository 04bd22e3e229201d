import { Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { secretByNameOrArn } from './secrets';
import { Settings } from './settings';

/**
 * What the pipelines' services share: the network (a new VPC, or the one context names, where the user's Postgres
 * and Redis are reachable), the ECS cluster, and the API token.
 */
export class SluiceBaseStack extends Stack {
  readonly vpc: ec2.IVpc;
  readonly cluster: ecs.Cluster;
  readonly apiToken: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, settings: Settings, props?: StackProps) {
    super(scope, id, props);
    this.vpc = settings.vpc === undefined
      ? new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: settings.natGateways })
      : ec2.Vpc.fromVpcAttributes(this, 'Vpc', settings.vpc);
    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: this.vpc, clusterName: 'sluice' });
    this.apiToken = settings.apiTokenSecret === undefined
      ? new secretsmanager.Secret(this, 'ApiToken', {
        secretName: 'sluice/api-token',
        description: 'Bearer token of the Sluice API and /metrics (SLUICE_API_TOKEN)',
        generateSecretString: { passwordLength: 48, excludePunctuation: true },
      })
      : secretByNameOrArn(this, 'ApiToken', settings.apiTokenSecret);
  }
}
