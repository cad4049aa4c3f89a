package io.fleetline.api.openapi;

import io.fleetline.api.paging.Paging;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Set;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.web.method.HandlerMethod;

/**
 * The query parameters {@code limit} and {@code cursor} of every operation whose handler takes a
 * {@link Paging}, which the document generator itself leaves out.
 */
class PagingParameters implements OperationCustomizer {

  @Override
  public Operation customize(Operation operation, HandlerMethod handler) {
    if (Arrays.stream(handler.getMethodParameters())
        .anyMatch(p -> p.getParameterType() == Paging.class)) {
      operation
          .addParametersItem(
              query("limit")
                  .schema(
                      new Schema<Integer>()
                          .type("integer")
                          .types(Set.of("integer"))
                          .format("int32")
                          ._default(Paging.DEFAULT_LIMIT)
                          .minimum(BigDecimal.ONE)
                          .maximum(BigDecimal.valueOf(Paging.MAX_LIMIT))))
          .addParametersItem(
              query("cursor").schema(new Schema<String>().type("string").types(Set.of("string"))));
    }
    return operation;
  }

  private static Parameter query(String name) {
    return new Parameter().in("query").name(name).required(false);
  }
}
