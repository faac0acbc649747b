package io.telemetry.monitor;

import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.config.JsonPathConfig;

/** RestAssured's JsonPath reads JSON numbers as floats by default: far too coarse to compare stats. */
public final class JsonNumbers {

    private JsonNumbers() {
    }

    /** From now on, JSON numbers read by RestAssured are doubles. */
    public static void readAsDoubles() {
        RestAssured.config = RestAssuredConfig.config()
                .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));
    }
}
