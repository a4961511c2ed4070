package io.benchlink.gateway.http;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.benchlink.common.json.Json;
import io.benchlink.common.status.InvalidFieldException;
import io.benchlink.gateway.store.StoreException;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failed request becomes an answer: refusals
 * and bad input get their status and a one-line {@code {"error": "..."}}; anything unexpected is logged with its
 * stack and answered 500 without one. Stateless.
 */
final class ErrorFunnel {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorFunnel.class);

    private ErrorFunnel() {
    }

    static void answer(HttpCall call, Throwable failure) {
        if (failure instanceof IOException) {
            // The client went away mid-request: there is nobody left to answer.
            LOG.debug("{} - connection failed ({})", call, failure.toString());
            return;
        }
        HttpError error = map(call, failure);
        if (call.answered()) {
            LOG.warn("{} - failed after the answer started ({})", call, failure.toString());
            return;
        }
        try {
            error.headers().forEach(call::setHeader);
            call.json(error.status(), body(error.getMessage()));
        } catch (IOException e) {
            LOG.debug("{} - could not send error {} ({})", call, error.status(), e.toString());
        }
    }

    private static HttpError map(HttpCall call, Throwable failure) {
        if (failure instanceof HttpError error) {
            return error;
        }
        if (failure instanceof InvalidFieldException || failure instanceof JsonParseException) {
            return HttpError.badRequest(failure.getMessage());
        }
        if (failure instanceof StoreException) {
            LOG.warn("{} - store unavailable ({})", call, failure.getMessage());
            return new HttpError(503, "store unavailable", Map.of("Retry-After", "5"));
        }
        LOG.error("{} - unexpected failure", call, failure);
        return new HttpError(500, "internal error");
    }

    static String body(String message) {
        JsonObject object = new JsonObject();
        object.addProperty("error", message == null ? "error" : message);
        return Json.GSON.toJson(object);
    }
}
