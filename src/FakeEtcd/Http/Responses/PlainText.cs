using Microsoft.AspNetCore.Http;

namespace FakeEtcd.Http.Responses;

/// <summary>Go's <c>http.Error</c>: what etcd answers for a wrong method or path.</summary>
internal static class PlainText
{
    public static Task WriteAsync(HttpContext http, int status, string message)
    {
        http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return Respond.WriteAsync(http, status, "text/plain; charset=utf-8", message + "\n");
    }

    /// <summary>Go's 405, naming in <c>Allow</c> the one method the path takes.</summary>
    public static Task MethodNotAllowedAsync(HttpContext http, string allow)
    {
        http.Response.Headers.Allow = allow;
        return WriteAsync(http, StatusCodes.Status405MethodNotAllowed, "Method Not Allowed");
    }
}
