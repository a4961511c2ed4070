package io.benchlink.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.common.status.StatusKind;
import org.junit.jupiter.api.Test;

class BuiltinProfilesTest {
    private final LineParser kv = BuiltinProfiles.kv().parser();
    private final LineParser jsonl = BuiltinProfiles.jsonl().parser();

    @Test
    void kvReadsStartMacSerialAndResults() {
        assertThat(kv.parse("TEST=START").start()).isTrue();
        assertThat(kv.parse("MAC=aa-bb-cc-dd-ee-ff").mac()).isEqualTo("aa-bb-cc-dd-ee-ff");
        assertThat(kv.parse("SN=SN-000123").serial()).isEqualTo("SN-000123");
        LineFacts pass = kv.parse("RESULT=PASS all 12 checks passed");
        assertThat(pass.result()).isEqualTo(StatusKind.SUCCESS);
        assertThat(pass.resultText()).isEqualTo("all 12 checks passed");
        assertThat(kv.parse("result=fail check 7").result()).isEqualTo(StatusKind.FAIL);
        assertThat(kv.parse("RESULT=ERROR fixture open").resultText()).isEqualTo("fixture open");
        assertThat(kv.parse("ERROR=DUT not responding").result()).isEqualTo(StatusKind.ERROR);
    }

    @Test
    void kvReadsSeveralKeysOnOneLine() {
        LineFacts facts = kv.parse("MAC=AABBCCDDEEFF SN=X1 RESULT=PASS");
        assertThat(facts.mac()).isEqualTo("AABBCCDDEEFF");
        assertThat(facts.serial()).isEqualTo("X1");
        assertThat(facts.result()).isEqualTo(StatusKind.SUCCESS);
        assertThat(facts.resultText()).isEqualTo("MAC=AABBCCDDEEFF SN=X1 RESULT=PASS");
    }

    @Test
    void kvIgnoresUnrelatedLines() {
        assertThat(kv.parse("MEAS VCC=3.301").isEmpty()).isTrue();
        assertThat(kv.parse("RESULTS=PASSED").isEmpty()).isTrue();
    }

    @Test
    void jsonlReadsEventsAndFields() {
        assertThat(jsonl.parse("{\"event\":\"start\"}").start()).isTrue();
        LineFacts info = jsonl.parse("{\"event\":\"info\",\"mac\":\"aabb.ccdd.eeff\",\"sn\":\"SN-9\"}");
        assertThat(info.mac()).isEqualTo("aabb.ccdd.eeff");
        assertThat(info.serial()).isEqualTo("SN-9");
        assertThat(info.result()).isNull();
        LineFacts fail = jsonl.parse("{\"event\":\"fail\",\"message\":\"check 3 low\"}");
        assertThat(fail.result()).isEqualTo(StatusKind.FAIL);
        assertThat(fail.resultText()).isEqualTo("check 3 low");
    }

    @Test
    void jsonlIgnoresLinesThatAreNotJsonObjects() {
        assertThat(jsonl.parse("boot v1.2").isEmpty()).isTrue();
        assertThat(jsonl.parse("{\"event\":").isEmpty()).isTrue();
        assertThat(jsonl.parse("[1,2]").isEmpty()).isTrue();
        assertThat(jsonl.parse("{".repeat(5000)).isEmpty()).isTrue();
    }
}
