package io.benchlink.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DashboardPageTest {
    private final DashboardPage page = new DashboardPage(8123);

    @Test
    void theIndexTellsThePageTheWebSocketPort() {
        String html = new String(page.index().body(), StandardCharsets.UTF_8);

        assertThat(html).contains("content=\"8123\"").doesNotContain("{{WS_PORT}}");
        assertThat(page.index().contentType()).isEqualTo("text/html; charset=utf-8");
    }

    @Test
    void theScriptAndTheStyleSheetAreServedUnderTheDashboardPrefixWithTheirTypes() {
        assertThat(page.asset("/dashboard/app.js")).get().extracting(DashboardPage.Asset::contentType)
                .isEqualTo("text/javascript; charset=utf-8");
        assertThat(page.asset("/dashboard/style.css")).get().extracting(DashboardPage.Asset::contentType)
                .isEqualTo("text/css; charset=utf-8");
        assertThat(page.asset("/dashboard/app.js").get().body()).isNotEmpty();
    }

    @Test
    void anythingElseUnderThePrefixIsNotAnAsset() {
        assertThat(page.asset("/dashboard/index.html")).isEmpty();
        assertThat(page.asset("/dashboard/../pom.xml")).isEmpty();
    }
}
