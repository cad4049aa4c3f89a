package io.fleetline.api.paging;

import io.fleetline.api.problem.ApiProblem;
import org.springframework.core.MethodParameter;
import org.springframework.util.NumberUtils;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Reads a handler's {@link Paging} from the query parameters {@code limit} and {@code cursor}, as
 * {@code @RequestParam(defaultValue = "100") int limit} and {@code @RequestParam String cursor}
 * would: an empty limit is the default, a limit that is no integer is a {@code 400} naming it.
 */
final class PagingResolver implements HandlerMethodArgumentResolver {

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType() == Paging.class;
  }

  @Override
  public Paging resolveArgument(
      MethodParameter parameter,
      ModelAndViewContainer mav,
      NativeWebRequest request,
      WebDataBinderFactory binders) {
    String[] cursors = request.getParameterValues("cursor");
    return new Paging(
        limit(request.getParameter("limit")), cursors == null ? null : String.join(",", cursors));
  }

  private static int limit(String text) {
    if (text == null || text.isEmpty()) {
      return Paging.DEFAULT_LIMIT;
    }
    try {
      return NumberUtils.parseNumber(text, Integer.class);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.badRequest("limit", "limit has an invalid value '" + text + "'");
    }
  }
}
