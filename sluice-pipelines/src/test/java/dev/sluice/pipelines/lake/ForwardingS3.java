package dev.sluice.pipelines.lake;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.nio.file.Path;

/**
 * An S3 client that passes the calls the lake makes (list, get to a file, head, put, delete) on to another; crash
 * workers and race tests override the call they die or step in at.
 */
class ForwardingS3 implements S3Client {
    final S3Client s3;

    ForwardingS3(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
        return s3.listObjectsV2(request);
    }

    @Override
    public GetObjectResponse getObject(GetObjectRequest request, Path destination) {
        return s3.getObject(request, destination);
    }

    @Override
    public HeadObjectResponse headObject(HeadObjectRequest request) {
        return s3.headObject(request);
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
    public DeleteObjectResponse deleteObject(DeleteObjectRequest request) {
        return s3.deleteObject(request);
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
