import { Button, Result } from 'antd'
import { Link } from 'react-router-dom'

export default function NotFoundPage({ forbidden = false }: { forbidden?: boolean }) {
  return (
    <Result
      status={forbidden ? '403' : '404'}
      title={forbidden ? '无权访问' : '页面不存在'}
      subTitle={forbidden ? '当前账号没有访问此页面的权限。' : '您访问的页面不存在。'}
      extra={
        <Link to="/">
          <Button type="primary">返回首页</Button>
        </Link>
      }
    />
  )
}
