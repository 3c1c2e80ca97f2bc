import { exportMyData } from "~/domain/accounts/privacy.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { chinaDate } from "~/lib/china-time";
import { attachmentDisposition } from "~/lib/download";

export const { loader, action } = apiMethods({
  // 下载我的数据: a link on 我的 (the session cookie signs it) or an API call with a token.
  GET: async ({ request }) => {
    const data = await exportMyData(await requireActor(request));
    const day = chinaDate(new Date());
    return new Response(JSON.stringify(data, null, 2), {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": attachmentDisposition(`我的数据-${day}.json`, `my-data-${day}.json`),
        "Cache-Control": "no-store",
      },
    });
  },
});
