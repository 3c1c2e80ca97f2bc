import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { SearchView } from "~/components/search";
import { searchPage } from "~/domain/search/search-page.server";
import { getActor } from "~/http/auth.server";
import { pageData, STATUS_OF } from "~/http/route.server";

// 搜索: the page's state is its address; searchPage turns the address into what is shown.

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title:
      data?.state.q && !data.fieldErrors.q
        ? `“${data.state.q}”的搜索结果 · 三社联动服务平台`
        : "搜索 · 三社联动服务平台",
  },
];

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await getActor(request);
    const { page, problem } = await searchPage(actor, new URL(request.url).searchParams);
    return data(page, { status: problem ? STATUS_OF[problem] : 200 });
  });
}

export default function SearchRoute() {
  return <SearchView {...useLoaderData<typeof loader>()} />;
}
