using System.Text;
using Microsoft.AspNetCore.Http;

namespace FakeEtcd.Http.Responses;

/// <summary>Whole responses with their length, as Go's server sends a body written at once.</summary>
internal static class Respond
{
    public static Task WriteAsync(HttpContext http, int status, string contentType, string body) =>
        WriteAsync(http, status, contentType, Encoding.UTF8.GetBytes(body));

    public static Task WriteAsync(HttpContext http, int status, string contentType, byte[] body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = contentType;
        http.Response.ContentLength = body.Length;
        return http.Response.Body.WriteAsync(body, 0, body.Length, http.RequestAborted);
    }
}
