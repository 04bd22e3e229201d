package dev.sluice.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import org.junit.jupiter.api.Test;

class S3KeyEncodingTest {

    @Test
    void decodesFormEncoding() {
        // the example in https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
        assertThat(S3KeyEncoding.decode("red+flower.jpg")).isEqualTo("red flower.jpg");
        // seen from real S3, https://github.com/aws/aws-sdk-net/issues/640
        assertThat(S3KeyEncoding.decode("this+im+%2B+age+blah.txt")).isEqualTo("this im + age blah.txt");
        assertThat(S3KeyEncoding.decode("100%25+done")).isEqualTo("100% done");
        assertThat(S3KeyEncoding.decode("a%2fb")).as("lower-case hex").isEqualTo("a/b");
    }

    @Test
    void decodesMultiByteUtf8() {
        assertThat(S3KeyEncoding.decode("%C3%A9t%C3%A9")).isEqualTo("été");
        assertThat(S3KeyEncoding.decode("%E6%97%A5%E6%9C%AC")).isEqualTo("日本");
        assertThat(S3KeyEncoding.decode("%F0%9F%98%80")).isEqualTo("😀");
    }

    @Test
    void takesUnencodedCharactersLiterally() {
        assertThat(S3KeyEncoding.decode("AWSLogs/1/x.json.gz")).isEqualTo("AWSLogs/1/x.json.gz");
        assertThat(S3KeyEncoding.decode("été/😀")).as("raw non-ASCII, as some S3-compatible stores send")
                .isEqualTo("été/😀");
        assertThat(S3KeyEncoding.decode("")).isEmpty();
    }

    @Test
    void aMalformedEscapeNamesThePositionAndNotTheKey() {
        assertThatThrownBy(() -> S3KeyEncoding.decode("secret%zz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("malformed percent-escape at character 7, expected % and two hex digits");
        assertThatThrownBy(() -> S3KeyEncoding.decode("secret%4"))
                .hasMessage("malformed percent-escape at character 7, expected % and two hex digits");
        assertThatThrownBy(() -> S3KeyEncoding.decode("%"))
                .hasMessage("malformed percent-escape at character 1, expected % and two hex digits");
    }

    @Test
    void escapesThatAreNotUtf8AreRefused() {
        assertThatThrownBy(() -> S3KeyEncoding.decode("a%FFb"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("percent-escapes do not form valid UTF-8");
        assertThatThrownBy(() -> S3KeyEncoding.decode("%C3"))
                .hasMessage("percent-escapes do not form valid UTF-8");
        assertThatThrownBy(() -> S3KeyEncoding.decode("a\uD800b"))
                .hasMessage("holds an unpaired surrogate, which is not valid UTF-8");
    }

    @Test
    void encodesAsS3Does() {
        assertThat(S3KeyEncoding.encode("red flower.jpg")).isEqualTo("red+flower.jpg");
        assertThat(S3KeyEncoding.encode("this im + age blah.txt")).isEqualTo("this+im+%2B+age+blah.txt");
        assertThat(S3KeyEncoding.encode("dt=2026-11-22/part_0.parquet")).isEqualTo("dt%3D2026-11-22/part_0.parquet");
        assertThat(S3KeyEncoding.encode("100% été 😀")).isEqualTo("100%25+%C3%A9t%C3%A9+%F0%9F%98%80");
        assertThat(S3KeyEncoding.encode("a:b?c&d#e~f")).isEqualTo("a%3Ab%3Fc%26d%23e%7Ef");
        assertThatThrownBy(() -> S3KeyEncoding.encode("a\uDC00"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate");
    }

    @Test
    void decodingUndoesEncodingForAnyKey() {
        qt().withExamples(5_000)
                .forAll(strings().allPossible().ofLengthBetween(0, 40)
                        .assuming(key -> key.codePoints().noneMatch(c -> Character.getType(c) == Character.SURROGATE)))
                .check(key -> S3KeyEncoding.decode(S3KeyEncoding.encode(key)).equals(key));
        qt().withExamples(5_000)
                .forAll(strings().basicLatinAlphabet().ofLengthBetween(0, 40))
                .check(key -> S3KeyEncoding.decode(S3KeyEncoding.encode(key)).equals(key));
    }
}
