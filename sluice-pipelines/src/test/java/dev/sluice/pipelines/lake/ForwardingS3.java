package dev.sluice.pipelines.lake;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/** An S3 client that passes calls on to another; crash workers override the call they die at. */
class ForwardingS3 implements S3Client {
    final S3Client s3;

    ForwardingS3(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
        return s3.putObject(request, body);
    }

    /** The uploader reads its transfer timeouts from here. */
    @Override
    public S3ServiceClientConfiguration serviceClientConfiguration() {
        return s3.serviceClientConfiguration();
    }

    @Override
    public String serviceName() {
        return s3.serviceName();
    }

    @Override
    public void close() {
        s3.close();
    }
}
